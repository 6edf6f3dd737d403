// Reelfarm dashboard: submit form, live queue (from the farm event stream), workers table, the
// team's share and quota use (and, for admins, every team's).
// Vanilla ES modules, served as-is by the orchestrator: no build step.
import {
  ApiError, approveRender, cancelRender, changePriority, everyTeamsUsage, followFarmEvents, getRender, getStoryboard,
  hasKey, listModels, listRenders, listWorkers, rejectRender, renewAccess, rerenderChunk, retryRender, setKey,
  submitRender, teamUsage, whoAmI, withAccess,
} from './api.js';
import { renderFeedback } from './feedback.js';

const OPEN = new Set(['QUEUED', 'RUNNING', 'AWAITING_APPROVAL', 'ENCODING']);
const GROUP = { QUEUED: 'queued', RUNNING: 'running', AWAITING_APPROVAL: 'running', ENCODING: 'running' };
// Jobs only move forward (QUEUED → RUNNING → ENCODING → a final state), but for a storyboard review,
// which goes RUNNING ⇄ AWAITING_APPROVAL (those two rank alike), and a chunk re-render, which
// reopens a SUCCEEDED job for its next video version: a view's age is (versions, status).
const RANK = { QUEUED: 0, RUNNING: 1, AWAITING_APPROVAL: 1, ENCODING: 2, SUCCEEDED: 3, FAILED: 3, CANCELLED: 3 };
const age = (view) => (view.versions?.length || 1) * 10 + RANK[view.status];
const MAX_PREVIEWS = 3;
const REFRESH_MS = 5000; // open jobs are re-read this often: ETA, and a safety net under SSE
const WORKERS_MS = 2000;
const TEAMS_MS = 5000;
const MODELS_MS = 10000; // models come and go with workers, rarely

/** id -> {view, card, previews: Map(chunk -> {url, step, at}), fetchedAt, fetching, again} */
const jobs = new Map();
const dirty = new Set();
const loading = new Set(); // ids of jobs not shown yet whose first read is in flight
let flushTimer = null;

const $ = (sel, root = document) => root.querySelector(sel);
const short = (id) => String(id).slice(0, 8);

function announce(text) {
  const el = $('#announcer');
  el.textContent = '';
  // a fresh text node after a tick, so screen readers announce a repeat of the same words
  setTimeout(() => { el.textContent = text; }, 50);
}

function fmtSeconds(s) {
  if (s == null || !Number.isFinite(s)) return '';
  s = Math.max(0, Math.round(s));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} m`;
}

const fmtMs = (ms) => (ms == null ? null : ms < 10000 ? `${(ms / 1000).toFixed(1)} s` : fmtSeconds(ms / 1000));

function fmtBytes(n) {
  if (n == null) return '';
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The server's formula (RenderView.progress), for updates between re-reads. */
function progressOf(view) {
  if (view.status === 'SUCCEEDED') return 1;
  const chunks = view.chunks || [];
  if (!chunks.length) return 0;
  let done = 0;
  for (const c of chunks) {
    if (c.status === 'DONE') done += 1;
    else if (c.status === 'RUNNING' && c.steps > 0) done += c.step / c.steps;
  }
  return Math.min(0.99, 0.9 * (done / chunks.length) + (view.status === 'ENCODING' ? 0.05 : 0));
}

// ---------------------------------------------------------------- state

function upsert(view) {
  let job = jobs.get(view.id);
  if (!job) {
    job = { view, card: null, previews: new Map(), fetchedAt: Date.now() };
    jobs.set(view.id, job);
    seedPreviews(job);
  } else if (age(view) < age(job.view)) {
    return job; // read before an event this page has already applied: stale
  } else if (job.view.status !== view.status) {
    announce(`Render ${short(view.id)} ${view.status.toLowerCase()}`);
  }
  job.view = view;
  job.fetchedAt = Date.now();
  markDirty(job);
  return job;
}

/** A job seen first mid-render has had no preview events here: show its chunks' latest previews. */
function seedPreviews(job) {
  const v = job.view;
  if (!OPEN.has(v.status)) return;
  for (const c of v.chunks || []) {
    if (c.step > 0 && (c.status === 'RUNNING' || c.status === 'DONE')) {
      job.previews.set(c.index, { url: `${v.links.self}/chunks/${c.index}/preview.png?step=${c.step}`, step: c.step, at: 0 });
    }
  }
}

/** Re-reads a job; concurrent requests for the same job collapse into one follow-up read. */
async function refresh(id) {
  const job = jobs.get(id);
  if (job?.fetching) {
    job.again = true;
    return;
  }
  if (!job && loading.has(id)) return;
  if (job) job.fetching = true;
  else loading.add(id);
  try {
    upsert(await getRender(id));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && job) {
      jobs.delete(id);
      job.card?.remove();
      updateCounts();
    }
  } finally {
    loading.delete(id);
    const j = jobs.get(id);
    if (j) {
      j.fetching = false;
      if (j.again) {
        j.again = false;
        refresh(id);
      }
    }
  }
}

async function loadAll() {
  const page = await listRenders(50);
  for (const view of page.items) upsert(view);
}

function chunkOf(job, index) {
  return (job.view.chunks || []).find((c) => c.index === index);
}

function onEvent(type, e) {
  const job = jobs.get(e.jobId);
  if (!job) {
    refresh(e.jobId); // a job submitted elsewhere, or before this page's list was read
    return;
  }
  const v = job.view;
  const chunk = e.chunk != null ? chunkOf(job, e.chunk) : null;
  switch (type) {
    case 'chunk-started':
      if (chunk) Object.assign(chunk, { status: 'RUNNING', workerId: e.worker, attempt: e.attempt, step: 0, steps: e.steps });
      if (v.status === 'QUEUED') setStatus(job, 'RUNNING');
      break;
    case 'step':
      if (chunk && chunk.status !== 'DONE' && chunk.status !== 'CANCELLED') {
        Object.assign(chunk, { status: 'RUNNING', step: e.step, steps: e.steps, workerId: e.worker });
      }
      break;
    case 'preview':
      job.previews.set(e.chunk, { url: e.url, step: e.step, at: Date.now() });
      break;
    case 'chunk-completed':
      if (chunk) Object.assign(chunk, { status: 'DONE', step: chunk.steps });
      refresh(v.id);
      break;
    case 'chunk-failed':
      if (chunk) Object.assign(chunk, { status: e.retry ? 'READY' : 'FAILED', error: e.error });
      refresh(v.id);
      break;
    case 'awaiting-approval':
      setStatus(job, 'AWAITING_APPROVAL');
      refresh(v.id);
      break;
    case 'approved':
    case 'rerolled':
      job.storyboard = null;
      setStatus(job, 'RUNNING');
      refresh(v.id);
      break;
    case 'rerender':
      v.versions = [...(v.versions || []), { version: e.version, chunk: e.chunk, chunkSeed: e.seed, url: null }];
      if (chunk) Object.assign(chunk, { status: 'READY', step: 0 });
      setStatus(job, 'RUNNING');
      refresh(v.id);
      break;
    case 'encoding':
      setStatus(job, 'ENCODING');
      refresh(v.id);
      break;
    case 'succeeded':
      setStatus(job, 'SUCCEEDED');
      refresh(v.id);
      break;
    case 'failed':
      v.error = e.reason;
      setStatus(job, 'FAILED');
      refresh(v.id);
      break;
    case 'cancelled':
      v.error = e.reason;
      setStatus(job, 'CANCELLED');
      refresh(v.id);
      break;
    default:
      break;
  }
  v.progress = progressOf(v);
  markDirty(job);
}

function setStatus(job, status) {
  if (job.view.status === status) return;
  job.view.status = status;
  announce(`Render ${short(job.view.id)} ${status.toLowerCase()}`);
}

// ---------------------------------------------------------------- rendering

function markDirty(job) {
  dirty.add(job);
  // a timer rather than requestAnimationFrame: it still runs in a background tab
  if (!flushTimer) flushTimer = setTimeout(flush, 60);
}

function flush() {
  flushTimer = null;
  for (const job of dirty) renderJob(job);
  dirty.clear();
  updateCounts();
}

function groupOf(status) {
  return GROUP[status] || 'done';
}

/** Queued: next to run first. Running: oldest first. Done: latest finished first. */
function sortKey(view) {
  const t = (s) => (s ? Date.parse(s) : 0);
  switch (groupOf(view.status)) {
    case 'queued': return [-view.priority, t(view.createdAt)];
    case 'running': return [t(view.startedAt || view.createdAt), 0];
    default: return [-t(view.finishedAt || view.createdAt), 0];
  }
}

function before(a, b) {
  const ka = sortKey(a);
  const kb = sortKey(b);
  return ka[0] !== kb[0] ? ka[0] < kb[0] : ka[1] < kb[1];
}

function place(job) {
  const list = $(`.jobs[data-group="${groupOf(job.view.status)}"]`);
  if (job.card.parentElement === list) return;
  const next = [...list.children].find((el) => before(job.view, jobs.get(el.dataset.jobId).view));
  list.insertBefore(job.card, next || null);
}

function createCard(job) {
  const card = $('#job-template').content.firstElementChild.cloneNode(true);
  card.dataset.jobId = job.view.id;
  $('.cancel', card).setAttribute('aria-label', `Cancel render ${short(job.view.id)}`);
  $('.retry', card).setAttribute('aria-label', `Retry render ${short(job.view.id)} as a new render`);
  $('.priority', card).setAttribute('aria-label', `Change the priority of render ${short(job.view.id)}`);
  $('.rerender', card).setAttribute('aria-label', `Re-render one chunk of render ${short(job.view.id)}`);
  $('.cancel', card).addEventListener('click', () => onCancel(job, card));
  $('.approve', card).addEventListener('click', () => onDecide(job, card, () => approveRender(job.view.id), 'approved'));
  $('.reroll', card).addEventListener('click', () => onDecide(job, card, () => rejectRender(job.view.id, { action: 'reroll' }), 'rerolled'));
  $('.reject', card).addEventListener('click', () => onDecide(job, card, () => rejectRender(job.view.id, { action: 'cancel' }), 'rejected'));
  $('.retry', card).addEventListener('click', () => onRetry(job, card));
  $('.priority', card).addEventListener('click', () => onPriority(job, card));
  $('.rerender', card).addEventListener('click', () => onRerender(job, card));
  return card;
}

function renderJob(job) {
  const v = job.view;
  if (!job.card) job.card = createCard(job);
  const card = job.card;
  const open = OPEN.has(v.status);
  card.dataset.status = v.status;

  const status = $('.status', card);
  status.textContent = v.status;
  status.dataset.status = v.status;
  $('.job-id', card).textContent = short(v.id);
  $('.job-id', card).title = v.id;
  $('.job-prompt', card).textContent = v.prompt;
  $('.job-meta', card).textContent = [
    `${v.durationSeconds} s`, v.preset, `seed ${v.seed}`, `${v.steps} steps`, v.mode,
    v.priority ? `priority ${v.priority}` : null, v.model,
  ].filter(Boolean).join(' · ');

  const pct = Math.round((v.progress || 0) * 100);
  const bar = $('.bar', card);
  bar.setAttribute('aria-valuenow', String(pct));
  const eta = open ? etaOf(job) : null;
  bar.setAttribute('aria-valuetext', eta != null ? `${pct} %, about ${fmtSeconds(eta)} left` : `${pct} %`);
  bar.setAttribute('aria-label', `Progress of render ${short(v.id)}`);
  $('.bar-fill', card).style.width = `${pct}%`;
  $('.job-eta', card).textContent = v.status === 'AWAITING_APPROVAL' ? `${pct} % · awaiting approval`
    : open ? `${pct} %${eta != null ? ` · ETA ${fmtSeconds(eta)}` : ''}` : '';

  renderChunks(card, v);
  renderPreviews(job, card);
  renderStoryboard(job, card);
  renderPlayer(card, v);
  renderFeedback(card, v);

  const err = $('.job-error', card);
  err.hidden = v.status !== 'FAILED';
  err.textContent = v.status === 'FAILED' ? `Failed: ${v.error || 'no reason recorded'}` : '';

  $('.job-timings', card).textContent = timingsText(v);
  const cancel = $('.cancel', card);
  cancel.hidden = !open;
  if (!open) cancel.disabled = false;
  $('.retry', card).hidden = !(v.status === 'FAILED' || v.status === 'CANCELLED');
  $('.priority', card).hidden = !open;
  $('.rerender', card).hidden = v.status !== 'SUCCEEDED';
  const dl = $('.download', card);
  dl.hidden = !v.video;
  if (v.video) dl.href = withAccess(v.video.url);

  place(job);
}

function etaOf(job) {
  const eta = job.view.etaSeconds;
  return eta == null ? null : Math.max(0, eta - (Date.now() - job.fetchedAt) / 1000);
}

function timingsText(v) {
  if (v.status === 'CANCELLED') return v.error ? `Cancelled: ${v.error}` : 'Cancelled';
  const t = v.timings || {};
  const parts = [];
  if (t.queuedMs != null) parts.push(`queued ${fmtMs(t.queuedMs)}`);
  if (t.renderMs != null) parts.push(`rendered in ${fmtMs(t.renderMs)}`);
  if (t.encodeMs != null) parts.push(`encoded in ${fmtMs(t.encodeMs)}`);
  if (v.video) parts.push(`${v.video.frames} frames, ${fmtBytes(v.video.sizeBytes)}`);
  return parts.join(' · ');
}

function renderChunks(card, v) {
  const strip = $('.chunks', card);
  const chunks = v.chunks || [];
  while (strip.children.length > chunks.length) strip.lastElementChild.remove();
  while (strip.children.length < chunks.length) {
    const li = document.createElement('li');
    li.dataset.testid = 'chunk-cell';
    li.innerHTML = '<span class="c-idx"></span><span class="c-step"></span><span class="c-worker"></span>';
    strip.append(li);
  }
  chunks.forEach((c, i) => {
    const li = strip.children[i];
    const state = c.status.toLowerCase();
    li.dataset.state = state;
    li.dataset.index = String(c.index);
    const frac = c.steps > 0 ? c.step / c.steps : 0;
    li.style.setProperty('--done', state === 'done' ? '100%' : `${Math.round(frac * 100)}%`);
    li.children[0].textContent = `#${c.index}`;
    const started = c.step > 0 || c.status === 'RUNNING' || c.status === 'DONE';
    li.children[1].textContent = started && c.steps > 0 ? `${c.step}/${c.steps}` : (state === 'dispatched' ? 'sent' : state);
    li.children[2].textContent = c.workerId || '';
    const attempt = c.attempt > 1 ? `, attempt ${c.attempt}` : '';
    li.title = `Chunk ${c.index}: ${state}${c.workerId ? ` on ${c.workerId}` : ''}, step ${c.step}/${c.steps}${attempt}`
      + (c.error ? `. Last error: ${c.error}` : '');
    li.setAttribute('aria-label', li.title);
  });
}

function renderPreviews(job, card) {
  const box = $('.previews', card);
  const show = job.view.status !== 'SUCCEEDED' && job.previews.size > 0;
  box.hidden = !show;
  if (!show) return;
  const latest = [...job.previews.entries()].sort((a, b) => b[1].at - a[1].at || a[0] - b[0]).slice(0, MAX_PREVIEWS)
    .sort((a, b) => a[0] - b[0]);
  const keep = new Set(latest.map(([chunk]) => String(chunk)));
  for (const fig of [...box.children]) if (!keep.has(fig.dataset.chunk)) fig.remove();
  for (const [chunk, p] of latest) {
    let fig = [...box.children].find((f) => f.dataset.chunk === String(chunk));
    if (!fig) {
      fig = document.createElement('figure');
      fig.dataset.chunk = String(chunk);
      const img = document.createElement('img');
      img.dataset.testid = 'preview-img';
      img.decoding = 'async';
      img.addEventListener('error', () => {
        job.previews.delete(chunk); // none stored yet (or expired): drop it quietly
        fig.remove();
      });
      fig.append(img, document.createElement('figcaption'));
      const after = [...box.children].find((f) => Number(f.dataset.chunk) > chunk);
      box.insertBefore(fig, after || null);
    }
    const img = fig.firstElementChild;
    const src = withAccess(p.url);
    if (img.getAttribute('src') !== src) img.src = src;
    img.alt = `Preview of chunk ${chunk} at step ${p.step}`;
    fig.lastElementChild.textContent = `#${chunk} · step ${p.step}`;
  }
}

/** A job awaiting approval shows its keyframes (read once per anchor pass) and the decisions. */
function renderStoryboard(job, card) {
  const box = $('.storyboard', card);
  const waiting = job.view.status === 'AWAITING_APPROVAL';
  box.hidden = !waiting;
  if (!waiting) return;
  const sb = job.storyboard;
  if (!sb || sb.seed !== job.view.seed) {
    if (!job.storyboardLoading) {
      job.storyboardLoading = true;
      getStoryboard(job.view.id)
        .then((s) => { job.storyboard = s; markDirty(job); })
        .catch(() => {}) // not rendered yet: the next event or refresh asks again
        .finally(() => { job.storyboardLoading = false; });
    }
    return;
  }
  $('.storyboard-title', card).textContent =
    `Storyboard${sb.round > 1 ? ` (take ${sb.round})` : ''}: ${sb.keyframes.length} keyframes, seed ${sb.seed}. Approve to render the rest.`;
  const frames = $('.frames', card);
  if (frames.dataset.seed === sb.seed) return;
  frames.dataset.seed = sb.seed;
  frames.replaceChildren(...sb.keyframes.map((k) => {
    const fig = document.createElement('figure');
    const img = document.createElement('img');
    img.dataset.testid = 'keyframe-img';
    img.src = withAccess(k.url);
    img.alt = `Keyframe ${k.index} at ${k.timeSeconds.toFixed(2)} s`;
    const cap = document.createElement('figcaption');
    cap.textContent = `#${k.index} · ${k.timeSeconds.toFixed(2)} s`;
    fig.append(img, cap);
    return fig;
  }));
}

function renderPlayer(card, v) {
  const box = $('.player', card);
  box.hidden = !v.video;
  // The latest delivered version: a re-render's new video replaces the player's.
  const latest = (v.versions || []).filter((x) => x.url).pop();
  const src = latest ? latest.url : v.video?.url;
  if (!v.video || box.firstElementChild?.dataset.src === src) return;
  box.replaceChildren();
  const video = document.createElement('video');
  video.dataset.testid = 'job-video';
  video.controls = true;
  video.playsInline = true;
  video.preload = 'metadata';
  video.poster = withAccess(v.video.posterUrl);
  video.src = withAccess(src);
  video.dataset.src = src;
  video.setAttribute('aria-label', `Rendered clip: ${v.prompt}`);
  if (v.preset === 'landscape') video.classList.add('landscape');
  box.append(video);
}

function updateCounts() {
  const counts = { queued: 0, running: 0, done: 0 };
  for (const job of jobs.values()) counts[groupOf(job.view.status)] += 1;
  for (const [group, n] of Object.entries(counts)) $(`[data-count="${group}"]`).textContent = n ? `(${n})` : '';
}

// ---------------------------------------------------------------- actions

async function onCancel(job, card) {
  const button = $('.cancel', card);
  button.disabled = true;
  try {
    upsert(await cancelRender(job.view.id));
  } catch (e) {
    button.disabled = false;
    announce(`Could not cancel render ${short(job.view.id)}: ${e.message}`);
  }
}

async function onDecide(job, card, decide, done) {
  const buttons = [...$('.storyboard', card).querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  try {
    upsert(await decide());
    announce(`Storyboard of render ${short(job.view.id)} ${done}`);
  } catch (e) {
    announce(`Could not decide on render ${short(job.view.id)}: ${e.message}`);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

async function onRetry(job, card) {
  const button = $('.retry', card);
  button.disabled = true;
  try {
    const created = await retryRender(job.view.id);
    announce(`Retrying as render ${short(created.id)}`);
    await refresh(created.id);
  } catch (e) {
    announce(`Retry failed: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

async function onPriority(job, card) {
  const answer = window.prompt(`Priority of render ${short(job.view.id)} (-100..100, higher first)`, job.view.priority);
  if (answer == null || answer.trim() === '') return;
  const button = $('.priority', card);
  button.disabled = true;
  try {
    upsert(await changePriority(job.view.id, Number(answer)));
    announce(`Render ${short(job.view.id)} now has priority ${Number(answer)}`);
  } catch (e) {
    announce(`Could not change the priority: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

async function onRerender(job, card) {
  const owning = (job.view.chunks || []).filter((c) => c.ownedEnd > c.ownedStart).map((c) => c.index);
  const answer = window.prompt(`Chunk of render ${short(job.view.id)} to re-render with a new seed (${owning.join(', ')})`);
  if (answer == null || answer.trim() === '') return;
  const button = $('.rerender', card);
  button.disabled = true;
  try {
    const accepted = await rerenderChunk(job.view.id, Number(answer));
    announce(`Re-rendering chunk ${accepted.chunk} of render ${short(job.view.id)} as version ${accepted.version}`);
    await refresh(job.view.id);
  } catch (e) {
    announce(`Could not re-render chunk ${answer}: ${e.message}`);
  } finally {
    button.disabled = false;
  }
}

function formRequest(form) {
  const f = new FormData(form);
  const text = (name) => String(f.get(name) ?? '').trim();
  const num = (name) => (text(name) === '' ? undefined : Number(text(name)));
  const request = {
    prompt: String(f.get('prompt') ?? ''),
    durationSeconds: num('durationSeconds'),
    preset: text('preset'),
    seed: text('seed') || undefined, // a decimal string: 64-bit seeds do not fit a JS number
    priority: num('priority'),
    steps: num('steps'),
    guidanceScale: num('guidanceScale'),
    mode: text('mode') || undefined,
    model: text('model') || undefined,
    negativePrompt: text('negativePrompt') || undefined,
    review: f.get('review') ? 'keyframes' : undefined,
  };
  return Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
}

function clearErrors(form) {
  for (const p of form.querySelectorAll('.field-error')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

function showError(form, field, message) {
  const input = field ? form.elements.namedItem(field) : null;
  const p = input ? $(`#err-${field}`) : $('#err-form');
  p.textContent = message;
  p.hidden = false;
  if (input) {
    if (input.closest('details')) input.closest('details').open = true;
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

async function onSubmit(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const button = $('button[type="submit"]', form);
  clearErrors(form);
  button.disabled = true;
  try {
    const created = await submitRender(formRequest(form));
    announce(`Queued render ${short(created.id)}`);
    await refresh(created.id);
  } catch (e) {
    // 400: a bad field; 422 prompt_refused: the prompt policy refused the prompt (named rule).
    if (e instanceof ApiError && (e.status === 400 || e.code === 'prompt_refused')) showError(form, e.field, e.message);
    else showError(form, null, e instanceof ApiError ? e.message : 'Could not reach the orchestrator; try again.');
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- workers

function workerChunk(w) {
  if (!w.currentJobId) return 'idle';
  const job = jobs.get(w.currentJobId);
  const chunk = job?.view.chunks?.find((c) => c.workerId === w.id && (c.status === 'RUNNING' || c.status === 'DISPATCHED'));
  return chunk ? `${short(w.currentJobId)} #${chunk.index} (${chunk.step}/${chunk.steps})` : short(w.currentJobId);
}

// ---------------------------------------------------------------- models

/** The submit form's model choice: the farm's models, the default first; the choice is kept. */
async function refreshModels() {
  let models;
  try {
    models = (await listModels()).items;
  } catch {
    return; // "Farm default" (or the last list) stays
  }
  const select = $('#f-model');
  const chosen = select.value;
  select.replaceChildren(...models.map((m) => {
    const option = document.createElement('option');
    option.value = m.name;
    const notes = [
      m.isDefault ? 'default' : null,
      `${m.nativeWidth}×${m.nativeHeight} ${m.nativeFps} fps`,
      m.testFixture ? 'test fixture' : null,
      m.liveWorkers ? `${m.liveWorkers} worker${m.liveWorkers === 1 ? '' : 's'}` : 'no live worker: queues',
    ].filter(Boolean);
    option.textContent = `${m.name}${m.version ? ` ${m.version}` : ''} (${notes.join(', ')})`;
    option.selected = chosen ? m.name === chosen : m.isDefault;
    return option;
  }));
}

async function refreshWorkers() {
  let workers;
  try {
    workers = await listWorkers();
  } catch {
    return; // the connection indicator already tells; keep the last table
  }
  const body = $('#workers-body');
  const rows = workers.map((w) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'worker-row';
    tr.dataset.workerId = w.id;
    tr.dataset.stale = String(w.heartbeatAgeMs > 10000);
    for (const [text, title] of [
      [w.id, `${w.host || ''}${w.pid ? ` pid ${w.pid}` : ''} ${w.model || ''}`.trim()],
      [w.device || '?', null],
      [workerChunk(w), w.currentJobId],
      [`${(w.heartbeatAgeMs / 1000).toFixed(1)} s`, w.lastHeartbeatAt],
    ]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (title) td.title = title;
      tr.append(td);
    }
    return tr;
  });
  body.replaceChildren(...rows);
  $('#workers-empty').hidden = workers.length > 0;
  $('#workers-count').textContent = workers.length ? `(${workers.length})` : '';
}

// ---------------------------------------------------------------- teams

const pctOf = (x) => `${Math.round(x * 100)} %`;

/** One quota: "used / max" and a bar, or "used (no limit)". */
function quotaRow(label, used, max, fmt = String) {
  const row = document.createElement('div');
  row.className = 'quota';
  row.dataset.testid = 'quota';
  const text = document.createElement('span');
  text.textContent = max == null ? `${label}: ${fmt(used)} (no limit)` : `${label}: ${fmt(used)} / ${fmt(max)}`;
  row.append(text);
  if (max != null) {
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-label', label);
    const pct = Math.min(100, Math.round((used / max) * 100));
    bar.setAttribute('aria-valuenow', String(pct));
    bar.dataset.full = String(used >= max);
    const fill = document.createElement('div');
    fill.className = 'bar-fill';
    fill.style.width = `${pct}%`;
    bar.append(fill);
    row.append(bar);
  }
  return row;
}

const gpuSeconds = (s) => fmtSeconds(s) || '0 s';

/** The quota rows of a team's usage (TeamUsageView). */
function quotaRows(u) {
  return [
    quotaRow('Chunks in flight', u.chunksInFlight, u.maxConcurrentChunks),
    quotaRow('Jobs queued or running', u.queuedJobs + u.runningJobs, u.maxQueuedJobs),
    quotaRow('GPU time today (UTC)', u.gpuSecondsToday, u.gpuSecondsPerDay, gpuSeconds),
  ];
}

function shareText(u) {
  const fair = u.fairShare == null ? '' : ` (fair share ${pctOf(u.fairShare)})`;
  return `${pctOf(u.share)} of chunk-seconds over ${fmtSeconds(u.windowSeconds)}${fair}`;
}

function renderTeam(u) {
  $('#team-panel-name').textContent = `${u.name}, weight ${u.weight}`;
  $('[data-testid="team-queue"]').textContent =
    `${u.queuedJobs} queued · ${u.runningJobs} running · ${u.chunksInFlight} chunks in flight`;
  $('[data-testid="team-share"]').textContent = shareText(u);
  $('[data-testid="team-quotas"]').replaceChildren(...quotaRows(u));
  $('[data-testid="team-panel"]').hidden = false;
}

function renderTeams(all) {
  const rows = all.map((u) => {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'team-row';
    tr.dataset.team = u.name;
    for (const text of [u.name, u.weight, u.queuedJobs, u.runningJobs, u.chunksInFlight, shareText(u)]) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    const quotas = document.createElement('td');
    quotas.className = 'quotas';
    quotas.append(...quotaRows(u));
    tr.append(quotas);
    return tr;
  });
  $('#teams-body').replaceChildren(...rows);
  $('#teams-count').textContent = all.length ? `(${all.length})` : '';
  $('[data-testid="teams-panel"]').hidden = false;
}

/** The caller's team panel; an admin's one read of every team fills the Teams table too. */
async function refreshTeams(me) {
  try {
    if (me.scopes.includes('admin')) {
      const all = await everyTeamsUsage();
      renderTeams(all);
      const mine = all.find((u) => u.id === me.teamId);
      if (mine) renderTeam(mine);
    } else {
      renderTeam(await teamUsage(me.teamId));
    }
  } catch {
    // the connection indicator already tells; keep the last figures
  }
}

// ---------------------------------------------------------------- start

function setConnection(state) {
  const el = $('[data-testid="connection"]');
  el.dataset.state = state;
  $('.conn-text', el).textContent = { live: 'Live', reconnecting: 'Reconnecting…', down: 'Offline, retrying…' }[state];
}

// ---------------------------------------------------------------- login

const ACCESS_RENEW_MS = 30 * 60 * 1000;

/** Shows the login form (with why, if a key was refused) until a key is accepted. */
function showLogin(message) {
  $('#login').hidden = false;
  $('main.layout').hidden = true;
  const error = $('#login-error');
  error.textContent = message || '';
  error.hidden = !message;
  $('#login-key').focus();
}

async function login(event) {
  event?.preventDefault();
  const key = $('#login-key').value.trim();
  if (key) setKey(key);
  try {
    const me = await whoAmI();
    await renewAccess();
    setInterval(() => renewAccess().catch(() => {}), ACCESS_RENEW_MS);
    $('#login').hidden = true;
    $('#login-error').hidden = true; // a field error left shown would read as the form's
    $('main.layout').hidden = false;
    $('#login-key').value = '';
    const team = $('[data-testid="team-name"]');
    team.textContent = `Team ${me.teamName}${me.scopes.includes('admin') ? ' (admin: every team)' : ''}`;
    team.hidden = false;
    $('#logout').hidden = !hasKey();
    start(me);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      setKey(null);
      showLogin(event || key ? e.message : null);
    } else {
      showLogin('Could not reach the orchestrator; try again.');
    }
  }
}

function logout() {
  setKey(null);
  window.location.reload();
}

function start(me) {
  $('#render-form').addEventListener('submit', onSubmit);
  let loaded = false;
  let listing = null;
  const load = () => {
    listing ||= loadAll().then(() => { loaded = true; }, () => {}).finally(() => { listing = null; });
    return listing;
  };
  // Stream first, then the list: an event that lands in between names a job the list will hold.
  followFarmEvents(onEvent, (state, reopened) => {
    setConnection(state);
    if (state === 'live' && (reopened || !loaded)) load(); // catch up on what an outage hid
  });
  load();
  refreshWorkers();
  setInterval(refreshWorkers, WORKERS_MS);
  refreshModels();
  setInterval(refreshModels, MODELS_MS);
  refreshTeams(me);
  setInterval(() => refreshTeams(me), TEAMS_MS);
  setInterval(() => {
    for (const job of jobs.values()) {
      if (!OPEN.has(job.view.status)) continue;
      const every = job.view.status === 'QUEUED' ? 3 * REFRESH_MS : REFRESH_MS;
      if (Date.now() - job.fetchedAt > every) refresh(job.view.id);
      else markDirty(job); // ETA counts down between reads
    }
  }, 1000);
}

$('#login-form').addEventListener('submit', login);
$('#logout').addEventListener('click', logout);
login(); // a key kept in this tab's session (or a farm with auth off) needs no form
