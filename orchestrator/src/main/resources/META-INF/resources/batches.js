// Shot-list upload: a CSV (header row of render fields) or JSON (a list of shots, or a whole
// POST /api/v1/batches body) becomes one batch; its status is followed until it is final.
import { getBatch, submitBatch, withAccess } from './api.js';

const FINAL = new Set(['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED']);
const NUMERIC = new Set(['durationSeconds', 'steps', 'guidanceScale', 'priority']);
const POLL_MS = 2000;
const $ = (sel) => document.querySelector(sel);

/** One CSV line split on commas, honouring "quoted, fields" with "" for a quote. */
function cells(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) { out.push(cur.trim()); cur = ''; }
    else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** The shots of a CSV text: its first line names the fields (prompt, durationSeconds, seed, ...). */
export function shotsFromCsv(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (lines.length < 2) throw new Error('a CSV shot list needs a header row and at least one shot');
  const header = cells(lines[0]);
  return lines.slice(1).map((line) => {
    const shot = {};
    cells(line).forEach((value, i) => {
      if (value === '' || !header[i]) return;
      // seeds stay strings (64-bit); the API takes decimal strings for them
      shot[header[i]] = NUMERIC.has(header[i]) ? Number(value) : value;
    });
    return shot;
  });
}

/** The batch request of the form: the JSON's own body, or its shots / the CSV's with the options. */
export function batchRequest(text, deliver, transition) {
  const trimmed = text.trim();
  let body;
  if (trimmed.startsWith('{')) body = JSON.parse(trimmed);
  else if (trimmed.startsWith('[')) body = { shots: JSON.parse(trimmed) };
  else body = { shots: shotsFromCsv(trimmed) };
  body.deliver ??= deliver;
  if (body.deliver === 'sequence') body.transition ??= transition;
  return body;
}

function show(batch) {
  const box = $('#batch-status');
  const counts = Object.entries(batch.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`);
  const video = batch.sequence?.videoUrl
    ? ` · <a href="${withAccess(batch.sequence.videoUrl)}" data-testid="batch-video">sequence video</a>`
    : '';
  box.innerHTML = '';
  const line = document.createElement('p');
  line.dataset.status = batch.status;
  line.innerHTML = `Batch ${String(batch.id).slice(0, 8)}: <strong>${batch.status}</strong> (${counts.join(', ')})${video}`;
  box.append(line);
}

async function follow(id) {
  const batch = await getBatch(id);
  show(batch);
  if (!FINAL.has(batch.status)) setTimeout(() => follow(id).catch(() => {}), POLL_MS);
}

async function onSubmit(event) {
  event.preventDefault();
  const error = $('#err-batch');
  error.hidden = true;
  try {
    const body = batchRequest($('#b-shots').value, $('#b-deliver').value, $('#b-transition').value);
    const accepted = await submitBatch(body);
    await follow(accepted.id);
  } catch (e) {
    error.textContent = e.message; // a 400's message names its field
    error.hidden = false;
  }
}

$('#b-file').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  if (file) $('#b-shots').value = await file.text();
});
$('#batch-form').addEventListener('submit', onSubmit);
