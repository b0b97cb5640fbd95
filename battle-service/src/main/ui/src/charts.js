// Small SVG charts drawn by hand: no charting library, no CDN.
const NS = 'http://www.w3.org/2000/svg';

function svg(w, h, fill = true) {
  const s = document.createElementNS(NS, 'svg');
  s.setAttribute('viewBox', `0 0 ${w} ${h}`);
  s.setAttribute('width', fill ? '100%' : String(w));
  s.style.maxWidth = '100%';
  s.setAttribute('preserveAspectRatio', 'xMinYMin meet');
  return s;
}

function el(parent, name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

function niceTicks(lo, hi, n = 5) {
  const span = hi - lo || 1;
  const step0 = span / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) || mag * 10;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
  return out;
}

/** Horizontal error bars: one row per model, point at the rating, whiskers at the CI. */
export function ciPlot(container, rows, label) {
  container.innerHTML = '';
  if (!rows.length) return;
  const left = 190, right = 20, top = 10, rowH = 22, w = 720;
  const h = top + rows.length * rowH + 30;
  const lo = Math.min(...rows.map((r) => r.lo)), hi = Math.max(...rows.map((r) => r.hi));
  const pad = (hi - lo) * 0.05 || 5;
  const x = (v) => left + ((v - (lo - pad)) / ((hi + pad) - (lo - pad))) * (w - left - right);
  const s = svg(w, h);
  for (const t of niceTicks(lo - pad, hi + pad)) {
    el(s, 'line', { x1: x(t), x2: x(t), y1: top, y2: h - 25, class: 'grid' });
    el(s, 'text', { x: x(t), y: h - 10, 'text-anchor': 'middle', class: 'tick' }, Math.round(t));
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH + rowH / 2;
    el(s, 'text', { x: left - 8, y: y + 4, 'text-anchor': 'end', class: 'label' }, label(r));
    el(s, 'line', { x1: x(r.lo), x2: x(r.hi), y1: y, y2: y, class: 'whisker' });
    el(s, 'line', { x1: x(r.lo), x2: x(r.lo), y1: y - 5, y2: y + 5, class: 'whisker' });
    el(s, 'line', { x1: x(r.hi), x2: x(r.hi), y1: y - 5, y2: y + 5, class: 'whisker' });
    el(s, 'circle', { cx: x(r.value), cy: y, r: 4, class: 'point' });
  });
  container.appendChild(s);
}

/** A labelled matrix with a colour scale; null cells are left blank. */
export function heatmap(container, names, matrix, { max, format, color }) {
  container.innerHTML = '';
  if (!names.length) return;
  const cell = 46, left = 150, top = 110;
  const w = left + names.length * cell + 40, h = top + names.length * cell + 10;
  const s = svg(w, h, false);
  names.forEach((n, i) => {
    el(s, 'text', { x: left - 6, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'end', class: 'label' }, n);
    const tx = left + i * cell + cell / 2;
    el(s, 'text', { x: tx, y: top - 6, transform: `rotate(-45 ${tx} ${top - 6})`, class: 'label' }, n);
  });
  matrix.forEach((row, i) => row.forEach((v, j) => {
    const g = el(s, 'g', {});
    const rect = el(g, 'rect', { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2,
      fill: v === null || v === undefined ? '#f3f4f6' : color(v / (max || 1)), class: 'cell' });
    if (v !== null && v !== undefined) {
      el(g, 'text', { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 + 4, 'text-anchor': 'middle',
        class: 'cellv' }, format(v));
      el(rect, 'title', {}, `${names[i]} vs ${names[j]}: ${format(v)}`);
    }
  }));
  container.appendChild(s);
}

/** Score against price (log scale) with the Pareto frontier drawn through the frontier points. */
export function paretoPlot(container, points, label) {
  container.innerHTML = '';
  const pts = points.filter((p) => p.price !== null && p.price !== undefined && p.price > 0);
  if (!pts.length) { container.textContent = 'No priced models yet.'; return; }
  const w = 720, h = 360, left = 60, right = 130, top = 20, bottom = 45;
  const lx = pts.map((p) => Math.log10(p.price));
  const x0 = Math.min(...lx) - 0.2, x1 = Math.max(...lx) + 0.2;
  const y0 = Math.min(...pts.map((p) => p.ci_low ?? p.rating)) - 10, y1 = Math.max(...pts.map((p) => p.ci_high ?? p.rating)) + 10;
  const x = (p) => left + ((Math.log10(p) - x0) / (x1 - x0)) * (w - left - right);
  const y = (v) => top + (1 - (v - y0) / (y1 - y0)) * (h - top - bottom);
  const s = svg(w, h);
  for (let e = Math.ceil(x0); e <= Math.floor(x1); e++) {
    const px = left + ((e - x0) / (x1 - x0)) * (w - left - right);
    el(s, 'line', { x1: px, x2: px, y1: top, y2: h - bottom, class: 'grid' });
    el(s, 'text', { x: px, y: h - bottom + 16, 'text-anchor': 'middle', class: 'tick' }, '$' + (10 ** e));
  }
  for (const t of niceTicks(y0, y1)) {
    el(s, 'line', { x1: left, x2: w - right, y1: y(t), y2: y(t), class: 'grid' });
    el(s, 'text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', class: 'tick' }, Math.round(t));
  }
  el(s, 'text', { x: (left + w) / 2, y: h - 8, 'text-anchor': 'middle', class: 'axis' }, 'price (log scale)');
  const frontier = pts.filter((p) => p.frontier).sort((a, b) => a.price - b.price);
  if (frontier.length > 1) {
    el(s, 'polyline', { points: frontier.map((p) => `${x(p.price)},${y(p.rating)}`).join(' '), class: 'frontier' });
  }
  for (const p of pts) {
    if (p.ci_low !== undefined) el(s, 'line', { x1: x(p.price), x2: x(p.price), y1: y(p.ci_low), y2: y(p.ci_high), class: 'whisker' });
    el(s, 'circle', { cx: x(p.price), cy: y(p.rating), r: p.frontier ? 6 : 4, class: p.frontier ? 'point frontier-pt' : 'point' });
    el(s, 'text', { x: x(p.price) + 8, y: y(p.rating) - 6, class: 'label small' }, label(p));
  }
  container.appendChild(s);
}
