#!/usr/bin/env node
// Drives the Reelfarm dashboard in headless Debian Chromium at phone size (390x844):
//   1. (with --fail-job) a job failed by the farm shows FAILED and its reason, live; a request
//      the API rejects shows the error next to the field it names;
//   2. a 4 s render submitted through the form: the chunk strip advances, a preview loads, the
//      job reaches SUCCEEDED and the <video> element loads the MP4 (readyState >= 2, duration
//      within 0.2 s of 4); screenshot dashboard.png;
//   3. a second render cancelled from the dashboard: CANCELLED, no chunk left open, and the
//      workers table stops showing it;
//   4. a render with "Review the keyframes" checked: its card shows the storyboard (every
//      keyframe image loaded) with Approve / Reroll / Reject, and Approve takes it to SUCCEEDED;
//      screenshot dashboard-storyboard.png.
// Usage: node dashboard-e2e.mjs <baseUrl> <outDir> [--fail-job <id> --fail-reason <text>]
// Writes <outDir>/result.json (ids and measured times) and exits non-zero with a message on any
// failure. With --fail-job it writes <outDir>/page-ready once the page shows that job, so the
// caller can fail it while the page watches. Env CHROMIUM overrides /usr/bin/chromium.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DURATION_S = 4;
const TOTAL_TIMEOUT_MS = 420_000;

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : null;
};
const failJob = flag('--fail-job');
const failReason = flag('--fail-reason');
const [baseArg, outDir] = args;
if (!baseArg || !outDir) {
  console.error('usage: node dashboard-e2e.mjs <baseUrl> <outDir> [--fail-job <id> --fail-reason <text>]');
  process.exit(64);
}
const base = baseArg.replace(/\/+$/, '');
mkdirSync(outDir, { recursive: true });

const t0 = Date.now();
const result = { base, ok: false, timingsMs: {}, jobs: {} };
const log = (msg) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const mark = (name, since) => {
  result.timingsMs[name] = Date.now() - since;
  log(`${name}: ${result.timingsMs[name]} ms`);
};
class Check extends Error {}
const check = (cond, msg) => {
  if (!cond) throw new Check(msg);
};

// Records, in the page, every chunk-cell change and every preview image that loads, so brief
// states between two polls are not missed.
const RECORDER = () => {
  const rec = { cells: [], previews: [] };
  window.__e2e = rec;
  const last = new Map();
  const cellOf = (node) => (node.nodeType === 1 ? node : node.parentElement)?.closest?.('[data-testid="chunk-cell"]');
  new MutationObserver((mutations) => {
    for (const m of mutations) {
      const cell = cellOf(m.target);
      if (!cell) continue;
      const job = cell.closest('[data-job-id]')?.dataset.jobId;
      const key = `${job}/${cell.dataset.index}`;
      const value = `${cell.dataset.state} ${cell.children[1]?.textContent ?? ''}`;
      if (last.get(key) === value) continue;
      last.set(key, value);
      rec.cells.push({ job, index: Number(cell.dataset.index), state: cell.dataset.state, text: value, at: Date.now() });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true, characterData: true });
  document.addEventListener('load', (e) => {
    const img = e.target;
    if (img instanceof HTMLImageElement && img.dataset.testid === 'preview-img') {
      rec.previews.push({
        job: img.closest('[data-job-id]')?.dataset.jobId, src: img.currentSrc, width: img.naturalWidth,
        height: img.naturalHeight, at: Date.now(),
      });
    }
  }, true);
};

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'reelfarm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  try {
    await run(context);
  } finally {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}

async function run(context) {
  const page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const consoleSeen = new Map(); // each distinct message is logged once, then counted
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const key = `console.${m.type()}: ${m.text()}`;
    consoleSeen.set(key, (consoleSeen.get(key) || 0) + 1);
    if (consoleSeen.get(key) === 1) log(key);
  });
  page.on('requestfailed', (r) => r.failure()?.errorText === 'net::ERR_ABORTED' || log(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`));
  await page.addInitScript(RECORDER);

  let since = Date.now();
  const response = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(response?.ok(), `GET / answered ${response?.status()}: is the dashboard in the orchestrator jar?`);
  // Auth is on: the dashboard asks for a key (REELFARM_API_KEY, the farm's admin key) and keeps it
  // in the tab's session; a wrong key is refused with the API's message first.
  if (process.env.REELFARM_API_KEY) {
    await page.getByTestId('login-form').waitFor({ timeout: 15_000 })
      .catch(() => { throw new Check('the dashboard shows no login form for a farm with auth on'); });
    await page.getByTestId('login-key').fill('rf_not-a-key');
    await page.getByTestId('login-button').click();
    await page.getByTestId('login-error').waitFor({ timeout: 10_000 })
      .catch(() => { throw new Check('a wrong key shows no login error'); });
    await page.getByTestId('login-key').fill(process.env.REELFARM_API_KEY);
    await page.getByTestId('login-button').click();
    await page.getByTestId('team-name').waitFor({ timeout: 15_000 })
      .catch(() => { throw new Check('the dashboard shows no team name after logging in'); });
    result.team = (await page.getByTestId('team-name').textContent()).trim();
    check(result.team.includes('default'), `the team shown is "${result.team}", expected the farm's default team`);
    log(`logged in: ${result.team}`);
    // The team panel shows the team's share and its quota use; an admin also sees every team.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="team-panel"]:not([hidden]) [data-testid="quota"]').length === 3,
      null, { timeout: 15_000 })
      .catch(() => { throw new Check('the team panel shows no share and quota use after logging in'); });
    result.teamPanel = await page.evaluate(() => ({
      queue: document.querySelector('[data-testid="team-queue"]').textContent,
      share: document.querySelector('[data-testid="team-share"]').textContent,
      quotas: [...document.querySelectorAll('[data-testid="team-quotas"] [data-testid="quota"]')].map((q) => q.textContent),
      quotaBars: document.querySelectorAll('[data-testid="team-quotas"] [role="progressbar"]').length,
      teamsRows: [...document.querySelectorAll('[data-testid="team-row"]')].map((r) => r.dataset.team),
    }));
    check(/\d+ % of chunk-seconds/.test(result.teamPanel.share), `the team's share reads "${result.teamPanel.share}"`);
    check(result.teamPanel.teamsRows.includes('default'), `the admin's Teams table lists ${result.teamPanel.teamsRows}`);
    log(`team panel: ${JSON.stringify(result.teamPanel)}`);
  }
  await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 15_000 })
    .catch(() => { throw new Check('the farm event stream (/api/v1/events) did not connect within 15 s'); });
  mark('pageLiveMs', since);
  const card = (id) => page.locator(`[data-testid="job-card"][data-job-id="${id}"]`);
  const status = (id) => card(id).getByTestId('job-status');

  if (failJob) {
    since = Date.now();
    await card(failJob).waitFor({ timeout: 15_000 });
    const before = await status(failJob).textContent();
    writeFileSync(join(outDir, 'page-ready'), `${failJob}\n`);
    log(`failing job ${failJob} shown as ${before}; signalled page-ready`);
    await waitText(status(failJob), 'FAILED', 120_000, `job ${failJob} (failed by the test harness)`);
    const error = card(failJob).getByTestId('job-error');
    check(await error.isVisible(), 'a FAILED job shows no job-error element');
    const text = (await error.textContent()).trim();
    check(!failReason || text.includes(failReason), `job-error says "${text}", expected it to contain "${failReason}"`);
    check(await card(failJob).getByTestId('retry-button').isVisible(), 'a FAILED job has no visible retry button');
    check(await page.locator('[data-testid="group-done"]').locator(`[data-job-id="${failJob}"]`).count() === 1,
      'the FAILED job is not in the Done group');
    result.jobs.failed = failJob;
    result.failedReasonShown = text;
    log(`failed job shows: ${text} (status before: ${before})`);
    mark('failedShownMs', since);
  }

  // ---- a request the API rejects: the error is shown next to the field it names
  since = Date.now();
  await page.getByLabel('Prompt', { exact: true }).fill('out of range priority');
  await page.getByLabel('Priority', { exact: true }).fill('500');
  const [rejected] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/renders') && r.request().method() === 'POST', { timeout: 15_000 }),
    page.getByTestId('submit-button').click(),
  ]);
  check(rejected.status() === 400, `priority 500 was answered ${rejected.status()}, expected 400`);
  const fieldError = page.locator('#err-priority');
  await fieldError.waitFor({ state: 'visible', timeout: 5_000 })
    .catch(() => { throw new Check('the 400 naming priority is not shown next to the Priority field'); });
  result.fieldError = (await fieldError.textContent()).trim();
  check(await page.getByLabel('Priority', { exact: true }).getAttribute('aria-invalid') === 'true', 'Priority is not marked aria-invalid');
  log(`field error shown: ${result.fieldError}`);
  mark('fieldErrorShownMs', since);

  // ---- 2. a 4 s render through the form
  const id = await submit(page, 'a red circle moving right on a blue background (dashboard e2e)', { seed: '1234', steps: '8' });
  result.jobs.succeeded = id;
  const submittedAt = Date.now();
  const strip = card(id).getByTestId('chunk-cell');
  const cells = await strip.count();
  check(cells > 0, `job ${id} shows no chunk cells`);
  log(`job ${id}: ${cells} chunk cells`);
  await card(id).locator('[data-testid="chunk-cell"][data-state="running"], [data-testid="chunk-cell"][data-state="done"]')
    .first().waitFor({ timeout: 120_000 });
  mark('firstChunkRunningMs', submittedAt);
  await card(id).locator('[data-testid="chunk-cell"][data-state="done"]').first().waitFor({ timeout: 180_000 })
    .catch(() => { throw new Check(`no chunk of job ${id} reached done within 180 s`); });
  mark('firstChunkDoneMs', submittedAt);
  await page.screenshot({ path: join(outDir, 'dashboard-running.png'), fullPage: true });
  await waitText(status(id), 'SUCCEEDED', 240_000, `job ${id}`);
  mark('succeededMs', submittedAt);

  const rec = await page.evaluate(() => window.__e2e);
  const mine = rec.cells.filter((c) => c.job === id);
  const states = new Set(mine.map((c) => c.state));
  const stepTexts = new Set(mine.filter((c) => c.state === 'running').map((c) => c.text));
  result.chunkStrip = { cells, changes: mine.length, statesSeen: [...states], runningStepTexts: stepTexts.size,
    firstChanges: mine.slice(0, 12).map((c) => `#${c.index} ${c.text}`) };
  check(states.has('done') && (states.has('running') || states.has('dispatched') || states.has('ready')),
    `the chunk strip did not advance: states seen ${[...states].join(', ')}`);
  const finalStates = await strip.evaluateAll((els) => els.map((e) => e.dataset.state));
  check(finalStates.every((s) => s === 'done'), `after SUCCEEDED the strip shows ${finalStates.join(', ')}`);

  const previews = rec.previews.filter((p) => p.job === id);
  result.previews = { loaded: previews.length, first: previews[0] ?? null,
    firstAfterMs: previews.length ? previews[0].at - submittedAt : null };
  check(previews.some((p) => p.width > 0), `no preview image of job ${id} loaded (previews seen: ${JSON.stringify(previews)})`);
  log(`previews loaded: ${previews.length}, first ${previews[0].width}x${previews[0].height} after ${result.previews.firstAfterMs} ms`);

  since = Date.now();
  const video = card(id).getByTestId('job-video');
  await video.waitFor({ timeout: 15_000 }).catch(() => { throw new Check(`SUCCEEDED job ${id} shows no <video>`); });
  const poster = await video.getAttribute('poster');
  check(poster && poster.includes('/poster.jpg'), `the video has no poster (poster=${poster})`);
  // metadata loads by itself (preload=metadata); then press play, as a user would, for frame data
  await video.evaluate((v) => new Promise((resolve) => {
    if (v.readyState >= 1) resolve();
    v.addEventListener('loadedmetadata', () => resolve(), { once: true });
    v.addEventListener('error', () => resolve(), { once: true });
  }));
  const played = await video.evaluate(async (v) => {
    v.muted = true;
    try {
      await v.play();
      return 'played';
    } catch (e) {
      return `play() rejected: ${e}`;
    }
  });
  await page.waitForFunction((v) => v.readyState >= 2 || v.error, await video.elementHandle(), { timeout: 30_000 })
    .catch(() => { throw new Check('the <video> did not reach readyState >= 2 within 30 s'); });
  const media = await video.evaluate((v) => {
    v.pause();
    return { readyState: v.readyState, duration: v.duration, width: v.videoWidth, height: v.videoHeight, src: v.currentSrc,
      error: v.error ? `${v.error.code} ${v.error.message}` : null };
  });
  media.play = played;
  result.video = media;
  mark('videoReadyMs', since);
  log(`video: ${JSON.stringify(media)}`);
  check(!media.error, `the <video> failed to load ${media.src}: ${media.error}`);
  check(media.readyState >= 2, `video readyState ${media.readyState} < 2`);
  check(Math.abs(media.duration - DURATION_S) <= 0.2, `video duration ${media.duration} s is not within 0.2 s of ${DURATION_S} s`);
  // Headless Chromium without a GPU paints played video frames black in screenshots; reloading
  // the element brings its poster back for the picture.
  await video.evaluate((v) => new Promise((resolve) => {
    v.addEventListener('loadedmetadata', resolve, { once: true });
    v.load();
  }));

  const layout = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  result.layout = layout;
  check(layout.scrollWidth <= layout.innerWidth, `horizontal scroll at 390 px: page is ${layout.scrollWidth} px wide`);
  const workerRows = await page.getByTestId('worker-row').count();
  result.workerRows = workerRows;
  check(workerRows > 0, 'the workers table shows no worker');
  await page.waitForTimeout(300); // the poster's decode
  const shot = join(outDir, 'dashboard.png');
  await page.screenshot({ path: shot, fullPage: true });
  result.screenshot = shot;
  log(`screenshot ${shot}`);

  // ---- the finished render is rated from its card: stars, a tag and a comment
  const rating = card(id).getByTestId('feedback-form');
  check(await rating.isVisible(), `SUCCEEDED job ${id} shows no rating form`);
  await rating.getByTestId('rating-4').check({ force: true }); // the radio is visually hidden behind its star
  await rating.getByLabel('visible seams').check();
  await rating.getByTestId('feedback-comment').fill('a small jump at a seam (dashboard e2e)');
  await rating.getByTestId('feedback-button').click();
  await waitText(rating.getByTestId('feedback-status'), 'Saved: .*', 15_000, `the rating of job ${id}`);
  result.feedback = await rating.getByTestId('feedback-status').textContent();
  log(`rated: ${result.feedback}`);

  // ---- 3. a second render, cancelled from the dashboard while a chunk is running
  // 20 s at 100 steps: long enough to still be rendering when cancel is pressed
  const cancelId = await submit(page, 'a long render to cancel (dashboard e2e)', { seed: '99', steps: '100', duration: '20' });
  result.jobs.cancelled = cancelId;
  since = Date.now();
  await card(cancelId).locator('[data-testid="chunk-cell"][data-state="running"]').first().waitFor({ timeout: 120_000 })
    .catch(() => { throw new Check(`no chunk of job ${cancelId} was shown running within 120 s`); });
  mark('cancelJobRunningMs', since);
  const shortId = cancelId.slice(0, 8);
  await page.waitForFunction((s) => [...document.querySelectorAll('[data-testid="worker-row"]')]
    .some((r) => r.textContent.includes(s)), shortId, { timeout: 8_000 }).catch(() => {}); // heartbeat + poll
  const workersBusy = await page.getByTestId('worker-row').filter({ hasText: shortId }).count();
  since = Date.now();
  const cancel = card(cancelId).getByTestId('cancel-button');
  check(await cancel.isVisible(), 'a RUNNING job has no visible cancel button');
  await cancel.click();
  await waitText(status(cancelId), 'CANCELLED', 30_000, `job ${cancelId} after cancel`);
  mark('cancelShownMs', since);
  check(!(await cancel.isVisible()), 'the cancel button is still visible on a CANCELLED job');
  const openCells = card(cancelId).locator('[data-testid="chunk-cell"]:not([data-state="done"]):not([data-state="cancelled"])');
  await page.waitForFunction((sel) => document.querySelectorAll(sel).length === 0,
    `[data-testid="job-card"][data-job-id="${cancelId}"] [data-testid="chunk-cell"]:not([data-state="done"]):not([data-state="cancelled"])`,
    { timeout: 10_000 }).catch(() => {});
  const cancelStates = await card(cancelId).getByTestId('chunk-cell').evaluateAll((els) => els.map((e) => e.dataset.state));
  result.cancelledChunkStates = cancelStates;
  check(await openCells.count() === 0, `after cancel the strip still shows open chunks: ${cancelStates.join(', ')}`);
  check(cancelStates.includes('cancelled'), `no chunk shows cancelled: ${cancelStates.join(', ')}`);
  check(await card(cancelId).getByTestId('retry-button').isVisible(), 'a CANCELLED job has no visible retry button');
  // Workers report their current job in heartbeats; the table should drop the cancelled job.
  await page.waitForFunction((s) => ![...document.querySelectorAll('[data-testid="worker-row"]')]
    .some((r) => r.textContent.includes(s)), shortId, { timeout: 30_000 })
    .catch(() => { throw new Check(`30 s after cancel a worker row still shows job ${shortId}`); });
  result.workersShowingJobBeforeCancel = workersBusy;
  mark('workersReleasedMs', since);
  await page.screenshot({ path: join(outDir, 'dashboard-cancelled.png'), fullPage: true });

  // ---- 4. a render with a storyboard review, approved from the dashboard
  const reviewId = await submit(page, 'a storyboard to approve (dashboard e2e)', { seed: '5', steps: '2', duration: '3', review: true });
  result.jobs.storyboard = reviewId;
  since = Date.now();
  await waitText(status(reviewId), 'AWAITING_APPROVAL', 120_000, `job ${reviewId} with a review`);
  mark('storyboardShownMs', since);
  const board = card(reviewId).getByTestId('storyboard');
  await page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll(sel)];
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  }, `[data-testid="job-card"][data-job-id="${reviewId}"] [data-testid="keyframe-img"]`, { timeout: 20_000 })
    .catch(() => { throw new Check(`the storyboard of job ${reviewId} did not show loaded keyframes within 20 s`); });
  result.storyboardKeyframes = await card(reviewId).getByTestId('keyframe-img').evaluateAll(
    (els) => els.map((e) => `${e.naturalWidth}x${e.naturalHeight}`));
  log(`storyboard keyframes: ${result.storyboardKeyframes.join(', ')}`);
  for (const button of ['approve-button', 'reroll-button', 'reject-button'])
    check(await board.getByTestId(button).isVisible(), `the storyboard has no visible ${button}`);
  await page.screenshot({ path: join(outDir, 'dashboard-storyboard.png'), fullPage: true });
  since = Date.now();
  await board.getByTestId('approve-button').click();
  await waitText(status(reviewId), 'SUCCEEDED', 120_000, `job ${reviewId} after approve`);
  mark('storyboardApprovedToSucceededMs', since);
  check(!(await board.isVisible()), 'the storyboard is still shown on a SUCCEEDED job');

  result.consoleMessages = Object.fromEntries(consoleSeen);
  check(pageErrors.length === 0, `uncaught errors in the page: ${pageErrors.join(' | ')}`);
  result.ok = true;
}

async function submit(page, prompt, { seed, steps, duration = String(DURATION_S), review = false }) {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Duration (s)', { exact: true }).fill(duration);
  await page.getByLabel('Preset', { exact: true }).selectOption('tiktok');
  await page.getByLabel('Seed', { exact: true }).fill(seed);
  await page.getByLabel('Priority', { exact: true }).fill('0');
  await page.locator('details.advanced:has(#f-steps) > summary').click();
  await page.getByLabel('Steps', { exact: true }).fill(steps);
  check(await page.getByLabel('Mode', { exact: true }).inputValue() === '', 'Mode does not default to automatic');
  await page.getByLabel('Review the keyframes before the rest renders', { exact: true }).setChecked(review);
  await page.locator('details.advanced:has(#f-steps) > summary').click();
  const since = Date.now();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/renders') && r.request().method() === 'POST', { timeout: 15_000 }),
    page.getByTestId('submit-button').click(),
  ]);
  const body = await res.json().catch(() => null);
  check(res.status() === 202, `submitting through the form answered ${res.status()}: ${JSON.stringify(body)}`);
  const id = body.id;
  check(await page.locator('.field-error:not([hidden])').count() === 0, 'a field error is still shown after a successful submit');
  await page.locator(`[data-testid="job-card"][data-job-id="${id}"]`).waitFor({ timeout: 10_000 })
    .catch(() => { throw new Check(`job ${id} was accepted but no card appeared`); });
  log(`submitted ${id} (${duration} s, ${steps} steps); card shown after ${Date.now() - since} ms`);
  return id;
}

async function waitText(locator, text, timeout, what) {
  try {
    await locator.filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout });
  } catch {
    const now = await locator.textContent().catch(() => '?');
    const card = locator.locator('xpath=ancestor::*[@data-testid="job-card"]');
    const error = await card.getByTestId('job-error').textContent().catch(() => '');
    throw new Check(`${what} did not show ${text} within ${timeout / 1000} s (shows ${now}${error ? `: ${error}` : ''})`);
  }
}

const watchdog = setTimeout(() => {
  console.error(`dashboard-e2e: FAILED: gave up after ${TOTAL_TIMEOUT_MS / 1000} s`);
  process.exit(3);
}, TOTAL_TIMEOUT_MS);

try {
  await main();
  log('PASSED');
} catch (e) {
  result.error = e instanceof Check ? e.message : String(e?.stack || e);
  console.error(`dashboard-e2e: FAILED: ${result.error}`);
} finally {
  result.totalMs = Date.now() - t0;
  writeFileSync(join(outDir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
  clearTimeout(watchdog);
}
process.exit(result.ok ? 0 : 1);
