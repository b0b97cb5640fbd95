import './style.css';
import { initArena } from './arena.js';
import { initLeaderboard, showLeaderboard } from './leaderboard.js';

function selectTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t.dataset.tab === name);
  document.getElementById('arena').hidden = name !== 'arena';
  document.getElementById('leaderboard').hidden = name !== 'leaderboard';
  if (name === 'leaderboard') showLeaderboard();
  if (location.hash !== '#' + name) history.replaceState(null, '', '#' + name);
}

for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => selectTab(t.dataset.tab));
initArena();
initLeaderboard();
selectTab(location.hash === '#leaderboard' ? 'leaderboard' : 'arena');
