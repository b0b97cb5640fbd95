// Browser test of the arena: a full battle against simulated models, a vote, names revealed, the vote counted
// on the leaderboard, and the phone layout. Run by ArenaBrowserIT (mvn verify) against real services.
//   BASE_URL=http://localhost:8080 SCREENSHOT_DIR=target/screenshots node e2e/arena.e2e.mjs
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.BASE_URL || 'http://localhost:8080';
const SHOTS = process.env.SCREENSHOT_DIR || 'screenshots';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
mkdirSync(SHOTS, { recursive: true });

const log = (...a) => console.log('[e2e]', ...a);
function check(cond, msg) {
  if (!cond) throw new Error('assertion failed: ' + msg);
  log('ok -', msg);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let page;
try {
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await desktop.newPage();
  page.on('console', (m) => { if (m.type() === 'error') log('browser console error:', m.text()); });
  await page.goto(BASE + '/', { waitUntil: 'networkidle' });
  check(await page.locator('#tab-arena').isVisible(), 'arena tab shown');

  // turn 1: two anonymous answers stream side by side
  await page.fill('#prompt', 'Write a Python function that removes duplicates from a list and explain it.');
  await page.press('#prompt', 'Enter');
  await page.waitForSelector('#msgs-a .msg.assistant[data-state="done"]', { timeout: 30000 });
  await page.waitForSelector('#msgs-b .msg.assistant[data-state="done"]', { timeout: 30000 });
  check((await page.textContent('#name-a')) === 'Model A', 'names hidden before the vote');
  const a1 = (await page.textContent('#msgs-a .msg.assistant')).trim();
  check(a1.length > 20, 'side A streamed an answer');
  check((await page.textContent('#msgs-b .msg.assistant')).trim().length > 20, 'side B streamed an answer');
  check(await page.isVisible('#votebar'), 'vote buttons offered');

  // turn 2: follow-up to both models
  await page.fill('#prompt', 'Now show how to keep the original order.');
  await page.click('#send');
  await page.waitForFunction(() => document.querySelectorAll('#msgs-a .msg.assistant[data-state="done"]').length === 2
    && document.querySelectorAll('#msgs-b .msg.assistant[data-state="done"]').length === 2, null, { timeout: 30000 });
  check((await page.locator('#msgs-a .msg.user').count()) === 2, 'follow-up shown in pane A');

  // regenerate the last turn
  const before = await page.locator('#msgs-a .msg.assistant').nth(1).textContent();
  await page.click('#regenerate');
  // wait for the replacement answer itself: the old, finished answers satisfy a plain "2 done" check
  // in the moment before the UI swaps them out
  await page.waitForFunction((prev) => {
    const a = document.querySelectorAll('#msgs-a .msg.assistant');
    return a.length === 2 && a[1].dataset.state === 'done' && a[1].textContent !== prev
      && document.querySelectorAll('#msgs-b .msg.assistant[data-state="done"]').length === 2
      && !document.querySelector('.msg.streaming');
  }, before, { timeout: 30000 });
  const after = await page.locator('#msgs-a .msg.assistant').nth(1).textContent();
  check(before !== after, 'regenerate produced a new answer');
  await page.screenshot({ path: join(SHOTS, '1-arena-answers.png'), fullPage: true });

  // vote, then the names are revealed
  await page.click('#vote-a');
  await page.waitForSelector('#name-a.revealed', { timeout: 20000 });
  const nameA = await page.textContent('#name-a');
  const nameB = await page.textContent('#name-b');
  check(nameA.includes('(simulated)') && nameB.includes('(simulated)'), `names revealed: ${nameA} | ${nameB}`);
  check(nameA !== nameB, 'two different models');
  check(/Thanks for voting/.test(await page.textContent('#notice')), 'vote acknowledged');
  check(await page.isHidden('#votebar'), 'one vote per battle: buttons gone');
  await page.screenshot({ path: join(SHOTS, '2-arena-revealed.png'), fullPage: true });

  // leaderboard: the vote is counted (ranking-service follows vote-service's log)
  await page.click('#tab-leaderboard');
  const shortA = nameA.split(' · ')[0];
  let votes = 0;
  for (let i = 0; i < 60 && votes < 1; i++) {
    await page.waitForTimeout(500);
    await page.evaluate(() => document.getElementById('category').dispatchEvent(new Event('change')));
    await page.waitForTimeout(300);
    votes = Number(await page.getAttribute('#lb-meta', 'data-votes')) || 0;
  }
  check(votes >= 1, `leaderboard counts the vote (${votes})`);
  const overallLabel = await page.evaluate(() => [...document.getElementById('category').options]
    .find((o) => o.value === 'overall')?.textContent || '');
  const overallCount = Number((/\((\d+)\)/.exec(overallLabel) || [])[1]);
  check(overallCount >= 1, `category selector counts the vote: "${overallLabel}"`);
  await page.waitForFunction((n) => [...document.querySelectorAll('#lb-table tbody td')].some((td) => td.textContent === n),
    shortA, { timeout: 20000 });
  check(true, `voted model ${shortA} listed on the leaderboard`);
  const rowText = await page.locator('#lb-table tbody tr', { hasText: shortA }).textContent();
  check(/\d/.test(rowText), 'row shows score and votes');
  await page.waitForSelector('#chart-ci svg', { timeout: 10000 });
  check(true, 'CI plot drawn');
  await page.waitForSelector('#chart-win svg', { timeout: 10000 });
  await page.waitForSelector('#chart-count svg', { timeout: 10000 });
  check(true, 'heatmaps drawn');
  await page.check('#style-control');
  await page.waitForSelector('#delta-head:not([hidden])', { timeout: 10000 });
  check(true, 'style-control toggle shows the rank delta column');
  await page.screenshot({ path: join(SHOTS, '3-leaderboard.png'), fullPage: true });

  // phone
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
    deviceScaleFactor: 2 });
  const p2 = await phone.newPage();
  await p2.goto(BASE + '/', { waitUntil: 'networkidle' });
  await p2.fill('#prompt', 'What is 17 + 25?');
  await p2.click('#send');
  await p2.waitForSelector('#msgs-b .msg.assistant[data-state="done"]', { timeout: 30000 });
  await p2.waitForSelector('#msgs-a .msg.assistant[data-state="done"]', { timeout: 30000 });
  const overflow = await p2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
  const boxA = await p2.locator('#pane-a').boundingBox();
  const boxB = await p2.locator('#pane-b').boundingBox();
  check(boxB.y > boxA.y, 'panes stacked on a phone');
  await p2.screenshot({ path: join(SHOTS, '4-phone-arena.png'), fullPage: true });
  await p2.click('#tab-leaderboard');
  await p2.waitForSelector('#lb-table tbody tr', { timeout: 20000 });
  const overflow2 = await p2.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow2 <= 1, `leaderboard fits the phone width (overflow ${overflow2}px)`);
  await p2.screenshot({ path: join(SHOTS, '5-phone-leaderboard.png'), fullPage: true });
  log('PASS');
} catch (err) {
  if (page) await page.screenshot({ path: join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
  console.error('[e2e] FAIL', err);
  process.exitCode = 1;
} finally {
  await browser.close();
}
