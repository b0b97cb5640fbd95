import { api } from './api.js';
import { ciPlot, heatmap, paretoPlot } from './charts.js';

const $ = (id) => document.getElementById(id);
let names = {};

function display(id) {
  return names[id] || id;
}

async function loadNames() {
  try {
    const r = await api('/api/v1/models');
    names = Object.fromEntries(r.models.map((m) => [m.id, m.display_name]));
  } catch { /* ids are shown instead */ }
}

function categoryLabel(name, votes) {
  return Number.isFinite(votes) ? `${name} (${votes})` : name;
}

// Reloaded every time the leaderboard is shown: the counts change with every vote.
async function loadCategories() {
  const sel = $('category');
  const current = sel.value || 'overall';
  try {
    const r = await api('/api/v1/categories');
    const list = Array.isArray(r) ? r : (r.categories || []);
    const options = list.map((c) => (typeof c === 'string'
      ? new Option(c, c)
      : new Option(categoryLabel(c.name, Number(c.votes ?? c.count)), c.name)));
    sel.replaceChildren(...options);
    if (![...sel.options].some((o) => o.value === 'overall')) sel.add(new Option('overall', 'overall'), 0);
    sel.value = [...sel.options].some((o) => o.value === current) ? current : 'overall';
  } catch {
    if (!sel.options.length) sel.add(new Option('overall', 'overall'));
  }
}

// The leaderboard's own vote count is the freshest one for the category on screen: the label agrees with it.
function syncSelectedCount(category, lb) {
  const opt = [...$('category').options].find((o) => o.value === category);
  if (opt && Number.isFinite(Number(lb.n_votes))) opt.textContent = categoryLabel(category, Number(lb.n_votes));
}

const fmt1 = (v) => (v === null || v === undefined ? '–' : Number(v).toFixed(0));

function renderTable(lb, styleOn) {
  const body = $('lb-table').querySelector('tbody');
  body.innerHTML = '';
  $('delta-head').hidden = !styleOn;
  for (const m of lb.models || []) {
    const tr = document.createElement('tr');
    tr.dataset.model = m.model;
    const rank = styleOn && m.rank_style_control != null ? m.rank_style_control : m.rank;
    const delta = styleOn && m.rank_style_control != null ? m.rank - m.rank_style_control : null;
    const cells = [
      rank,
      ...(styleOn ? [delta === null ? '' : delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : '='] : []),
      display(m.model),
      fmt1(m.rating),
      `+${fmt1(m.ci_high - m.rating)} / −${fmt1(m.rating - m.ci_low)}`,
      m.votes,
      m.organization || '',
      m.license || '',
    ];
    cells.forEach((c, i) => {
      const td = document.createElement('td');
      td.textContent = c;
      if (styleOn && i === 1) td.className = delta > 0 ? 'up' : delta < 0 ? 'down' : '';
      tr.appendChild(td);
    });
    body.appendChild(tr);
  }
  const empty = !(lb.models || []).length;
  $('lb-empty').hidden = !empty;
  $('lb-empty').textContent = empty ? 'No model has enough counted votes in this category yet.' : '';
  $('lb-meta').textContent = `${lb.n_votes ?? 0} votes counted` + (lb.updated_at ? ` · updated ${new Date(lb.updated_at).toLocaleString()}` : '');
  $('lb-meta').dataset.votes = lb.n_votes ?? 0;
}

export async function showLeaderboard() {
  if (!Object.keys(names).length) await loadNames();
  await loadCategories();
  const category = $('category').value || 'overall';
  const styleOn = $('style-control').checked;
  const q = `category=${encodeURIComponent(category)}` + (styleOn ? '&style_control=true' : '');
  try {
    const lb = await api('/api/v1/leaderboard?' + q);
    renderTable(lb, styleOn);
    syncSelectedCount(category, lb);
    ciPlot($('chart-ci'), (lb.models || []).map((m) => ({ id: m.model, value: m.rating, lo: m.ci_low, hi: m.ci_high })),
      (r) => display(r.id));
  } catch (err) {
    $('lb-empty').hidden = false;
    $('lb-empty').textContent = 'Leaderboard unavailable: ' + err.message;
    return;
  }
  try {
    const mx = await api('/api/v1/matrices?category=' + encodeURIComponent(category));
    const labels = (mx.models || []).map(display);
    heatmap($('chart-win'), labels, mx.win_fraction || [], {
      max: 1, format: (v) => v.toFixed(2),
      color: (t) => `hsl(${Math.round(t * 120)}, 70%, ${85 - Math.round(Math.abs(t - 0.5) * 30)}%)` });
    const maxCount = Math.max(1, ...(mx.counts || []).flat());
    heatmap($('chart-count'), labels, mx.counts || [], {
      max: maxCount, format: (v) => String(v), color: (t) => `hsl(210, 80%, ${95 - Math.round(t * 50)}%)` });
  } catch (err) {
    $('chart-win').textContent = 'Matrices unavailable: ' + err.message;
  }
  try {
    const p = await api(`/api/v1/pareto?${q}`);
    paretoPlot($('chart-pareto'), p.models || [], (pt) => display(pt.model));
  } catch (err) {
    $('chart-pareto').textContent = 'Price view unavailable: ' + err.message;
  }
}

export function initLeaderboard() {
  $('category').addEventListener('change', showLeaderboard);
  $('style-control').addEventListener('change', showLeaderboard);
}
