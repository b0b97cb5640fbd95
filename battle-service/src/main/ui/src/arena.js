import { api, streamEvents } from './api.js';
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);
const SIDES = ['a', 'b'];
let battle = null;      // { id, mode, voted, failed }
let streaming = null;   // AbortController of the open event stream
let bubbles = {};       // side -> { el, text }
let models = [];

function notice(text, kind = 'info') {
  const n = $('notice');
  n.textContent = text;
  n.className = 'notice ' + kind;
  n.hidden = !text;
}

function setBusy(busy) {
  $('send').disabled = busy;
  $('regenerate').disabled = busy || !battle || battle.voted;
}

function addMessage(side, role, text) {
  const el = document.createElement('div');
  el.className = 'msg ' + role;
  if (role === 'user') el.textContent = text; else renderMarkdown(el, text);
  $('msgs-' + side).appendChild(el);
  return el;
}

function activeSides() {
  return battle && battle.mode === 'direct' ? ['a'] : SIDES;
}

function resetPanes() {
  for (const s of SIDES) {
    $('msgs-' + s).innerHTML = '';
    $('name-' + s).textContent = 'Model ' + s.toUpperCase();
    $('name-' + s).classList.remove('revealed');
  }
  $('votebar').hidden = true;
  notice('');
}

function showNames(list) {
  if (!list) return;
  list.forEach((m, i) => {
    const el = $('name-' + SIDES[i]);
    el.textContent = m.display_name + (m.organization ? ' · ' + m.organization : '');
    el.classList.add('revealed');
  });
}

async function runTurn(view) {
  const sides = activeSides();
  bubbles = {};
  for (const s of sides) {
    const el = addMessage(s, 'assistant', '');
    el.classList.add('streaming');
    bubbles[s] = { el, text: '', pending: false };
  }
  $('votebar').hidden = true;
  setBusy(true);
  streaming = new AbortController();
  let complete = null;
  try {
    await streamEvents(view.events_url, (e) => {
      const b = bubbles[e.side];
      if (e.type === 'delta' && b) {
        b.text += e.text;
        if (!b.pending) {
          b.pending = true;
          requestAnimationFrame(() => { b.pending = false; renderMarkdown(b.el, b.text); });
        }
      } else if (e.type === 'done' && b) {
        renderMarkdown(b.el, b.text);
        b.el.classList.remove('streaming');
        b.el.dataset.state = 'done';
      } else if (e.type === 'error' && b) {
        renderMarkdown(b.el, b.text);
        b.el.classList.remove('streaming');
        b.el.dataset.state = 'error';
        const err = document.createElement('div');
        err.className = 'side-error';
        err.textContent = `⚠️ This answer failed (${e.code}): ${e.message}`;
        b.el.appendChild(err);
      } else if (e.type === 'turn_complete') {
        complete = e;
      }
    }, streaming.signal);
  } catch (err) {
    if (err.name !== 'AbortError') notice('Stream interrupted: ' + err.message, 'error');
  }
  streaming = null;
  setBusy(false);
  if (!complete) return;
  battle.failed = !complete.votable && battle.mode !== 'direct' && !battle.voted;
  if (battle.mode === 'direct') {
    notice('');
  } else if (complete.votable) {
    $('votebar').hidden = false;
    notice(battle.mode === 'anony' ? 'Which answer is better? Vote to reveal the models — or ask a follow-up.'
      : 'Which answer is better? (Side-by-side votes are stored as named and do not change the main leaderboard.)');
  } else {
    notice('One of the answers failed, so this battle cannot be voted on. Regenerate it or start a new round.', 'error');
  }
  $('prompt').focus();
}

async function send(ev) {
  ev?.preventDefault();
  const prompt = $('prompt').value;
  if (!prompt.trim()) return;
  setBusy(true);
  try {
    let view;
    if (!battle || battle.voted || battle.failed) {
      if (battle) resetPanes();
      const mode = $('mode').value;
      const body = { prompt, mode };
      if (mode !== 'anony') body.model_a = $('pick-a').value;
      if (mode === 'named') body.model_b = $('pick-b').value;
      view = await api('/api/v1/battles', { method: 'POST', body });
      battle = { id: view.battle_id, mode: view.mode, voted: false, failed: false };
      showNames(view.models);
    } else {
      view = await api(`/api/v1/battles/${battle.id}/messages`, { method: 'POST', body: { prompt } });
    }
    for (const s of activeSides()) addMessage(s, 'user', prompt);
    $('prompt').value = '';
    updateCounter();
    await runTurn(view);
  } catch (err) {
    notice(err.message, 'error');
    setBusy(false);
  }
}

async function regenerate() {
  if (!battle || battle.voted) return;
  try {
    if (streaming) streaming.abort();
    const view = await api(`/api/v1/battles/${battle.id}/regenerate`, { method: 'POST', body: {} });
    for (const s of activeSides()) {
      const msgs = $('msgs-' + s);
      if (msgs.lastElementChild?.classList.contains('assistant')) msgs.lastElementChild.remove();
    }
    battle.failed = false;
    await runTurn(view);
  } catch (err) {
    notice(err.message, 'error');
  }
}

async function vote(winner) {
  if (!battle) return;
  for (const b of document.querySelectorAll('.vote')) b.disabled = true;
  try {
    const r = await api(`/api/v1/battles/${battle.id}/vote`, { method: 'POST', body: { winner } });
    battle.voted = true;
    $('votebar').hidden = true;
    showNames([r.model_a, r.model_b]);
    let msg = 'Thanks for voting! ';
    if (r.identity_reveal) msg += 'An answer revealed a model or vendor name, so this vote will not count toward the leaderboard. ';
    else if (!r.counted) msg += battle.mode === 'named' ? 'Side-by-side votes do not change the main leaderboard. ' : 'This vote was stored but will not count. ';
    else msg += 'Your vote counts toward the leaderboard. ';
    msg += 'Press “New round” or type a new prompt to start another battle.';
    notice(msg, r.identity_reveal || !r.counted ? 'warn' : 'ok');
    $('regenerate').disabled = true;
  } catch (err) {
    notice('Vote failed: ' + err.message, 'error');
  } finally {
    for (const b of document.querySelectorAll('.vote')) b.disabled = false;
  }
}

function newRound() {
  if (streaming) streaming.abort();
  if (battle && !battle.voted) fetch(`/api/v1/battles/${battle.id}`, { method: 'DELETE', keepalive: true }).catch(() => {});
  battle = null;
  resetPanes();
  applyMode();
  setBusy(false);
  $('prompt').focus();
}

function updateCounter() {
  $('counter').textContent = `${$('prompt').value.length} / 30000`;
}

function applyMode() {
  const mode = $('mode').value;
  $('pick-a-wrap').hidden = mode === 'anony';
  $('pick-b-wrap').hidden = mode !== 'named';
  $('pane-b').hidden = mode === 'direct';
  $('arena-hint').textContent = {
    anony: 'Ask anything. Two anonymous models answer side by side; vote for the better one to see who they are.',
    named: 'Pick two models and compare them side by side.',
    direct: 'Chat with one model.',
  }[mode];
}

async function loadModels() {
  try {
    models = (await api('/api/v1/models')).models.filter((m) => m.enabled !== false && !m.outage);
  } catch { models = []; }
  for (const [id, offset] of [['pick-a', 0], ['pick-b', 1]]) {
    const sel = $(id);
    sel.innerHTML = '';
    models.forEach((m) => sel.add(new Option(m.display_name, m.id)));
    if (models.length > offset) sel.selectedIndex = offset;
  }
}

export function initArena() {
  $('composer').addEventListener('submit', send);
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); send(); }
  });
  $('prompt').addEventListener('input', updateCounter);
  $('regenerate').addEventListener('click', regenerate);
  $('new-round').addEventListener('click', newRound);
  $('mode').addEventListener('change', newRound);
  for (const b of document.querySelectorAll('.vote')) b.addEventListener('click', () => vote(b.dataset.winner));
  window.addEventListener('pagehide', () => {
    if (battle && !battle.voted) fetch(`/api/v1/battles/${battle.id}`, { method: 'DELETE', keepalive: true });
  });
  applyMode();
  loadModels();
}
