// The orchestrator's HTTP API and its farm-wide event stream (ARCHITECTURE.md §6).

const BASE = '/api/v1';
const KEY_STORE = 'reelfarm.apiKey';

// The API key lives in this tab's sessionStorage (gone when the tab closes) and goes out as
// `Authorization: Bearer` on every fetch. What the browser loads by itself (<img>, <video>,
// EventSource) cannot carry a header: those URLs get `?access=` with a short-lived read token
// of the same key (POST /me/access-token), never the key.
let apiKey = sessionStorage.getItem(KEY_STORE);
let access = null;

export const hasKey = () => Boolean(apiKey);

export function setKey(key) {
  apiKey = key || null;
  access = null;
  if (apiKey) sessionStorage.setItem(KEY_STORE, apiKey);
  else sessionStorage.removeItem(KEY_STORE);
}

/** {@code url} with the current access token (for <img>, <video>, EventSource and links). */
export function withAccess(url) {
  if (!url || !access) return url;
  return `${url}${url.includes('?') ? '&' : '?'}access=${encodeURIComponent(access)}`;
}

/** An API error: the HTTP status plus the body's {error, field, message} when there is one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.field = body?.field ?? null;
    this.code = body?.error ?? null;
  }
}

async function call(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (apiKey) init.headers.Authorization = `Bearer ${apiKey}`;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(BASE + path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (e.g. a proxy's HTML error page): the status alone describes it
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

export const listRenders = (limit = 50) => call('GET', `/renders?limit=${limit}`);
export const getRender = (id) => call('GET', `/renders/${encodeURIComponent(id)}`);
export const submitRender = (request) => call('POST', '/renders', request);
export const cancelRender = (id) => call('DELETE', `/renders/${encodeURIComponent(id)}`);
export const getStoryboard = (id) => call('GET', `/renders/${encodeURIComponent(id)}/storyboard`);
export const approveRender = (id) => call('POST', `/renders/${encodeURIComponent(id)}/approve`);
/** {action: 'cancel'} or {action: 'reroll', seed?} */
export const rejectRender = (id, rejection) => call('POST', `/renders/${encodeURIComponent(id)}/reject`, rejection);
export const rateRender = (id, feedback) => call('POST', `/renders/${encodeURIComponent(id)}/feedback`, feedback);
export const retryRender = (id) => call('POST', `/renders/${encodeURIComponent(id)}/retry`);
export const changePriority = (id, priority) => call('PATCH', `/renders/${encodeURIComponent(id)}`, { priority });
export const rerenderChunk = (id, index) =>
  call('POST', `/renders/${encodeURIComponent(id)}/chunks/${encodeURIComponent(index)}/rerender`, {});
export const submitBatch = (request) => call('POST', '/batches', request);
export const getBatch = (id) => call('GET', `/batches/${encodeURIComponent(id)}`);
export const listWorkers = () => call('GET', '/workers');
export const listModels = () => call('GET', '/models');
export const whoAmI = () => call('GET', '/me');
export const teamUsage = (team) => call('GET', `/teams/${encodeURIComponent(team)}/usage`);
export const everyTeamsUsage = () => call('GET', '/teams/usage');

/** Fetches a new access token (an hour long; the dashboard renews it every half hour). */
export async function renewAccess() {
  access = (await call('POST', '/me/access-token')).token;
}

export const EVENT_TYPES = [
  'queued', 'chunk-started', 'step', 'preview', 'chunk-completed', 'chunk-failed',
  'awaiting-approval', 'approved', 'rerolled', 'rerender', 'encoding', 'succeeded', 'failed',
  'cancelled',
];

/**
 * Follows the farm-wide SSE stream. EventSource reconnects by itself with Last-Event-ID after a
 * dropped connection; when it gives up (the server answered with an error), a new one resumes
 * from the last event seen via ?after=, so no event is missed either way.
 *
 * @param onEvent (type, payload) for every event
 * @param onState ('live' | 'reconnecting' | 'down', reopened) on connection changes
 */
export function followFarmEvents(onEvent, onState) {
  let lastId = null;
  let opens = 0;
  const open = () => {
    const es = new EventSource(withAccess(lastId == null ? `${BASE}/events` : `${BASE}/events?after=${encodeURIComponent(lastId)}`));
    es.onopen = () => onState('live', opens++ > 0);
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        onState('down', false);
        setTimeout(open, 3000);
      } else {
        onState('reconnecting', false);
      }
    };
    for (const type of EVENT_TYPES) {
      es.addEventListener(type, (e) => {
        if (e.lastEventId) lastId = e.lastEventId;
        let payload;
        try {
          payload = JSON.parse(e.data);
        } catch {
          return; // a malformed message must not stop the stream
        }
        onEvent(type, payload);
      });
    }
  };
  open();
}
