// The only module that talks HTTP: JSON in and out, problem+json turned into ProblemError.

import { language, t } from './i18n.js';

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    // Field-level messages, keyed by field name, for showing next to the inputs.
    this.fields = Object.fromEntries((problem.errors || []).map((e) => [e.field, e.message]));
  }
}

/**
 * The words for a failed request: the server's detail, or the catalog's `offlineKey` text when
 * the network is down. Anything but a refusal is a bug in the page and is thrown on.
 */
export function refusalText(error, offlineKey = 'error_offline') {
  if (!(error instanceof ProblemError)) throw error;
  return error.problem.offline ? t(offlineKey) : error.message;
}

let csrfToken = null;

/** The planner session's token; every state-changing request sends it as X-CSRF-Token. */
export function setCsrfToken(token) {
  csrfToken = token;
}

let participant = null;

/**
 * Residents' sends need the participant token the server issues (an HttpOnly cookie): ask
 * for it once per page, before the first send. Reading needs none.
 */
function ensureParticipant() {
  participant ||= obtainParticipant().catch((error) => {
    participant = null;
    throw error;
  });
  return participant;
}

async function obtainParticipant() {
  const response = await send('POST', '/api/participant');
  if (!response.ok) throw await refusal(response);
}

const needsParticipant = (method, path) => method !== 'GET' && path.startsWith('/api/') && !path.startsWith('/api/planner') && path !== '/api/participant';

/** A fresh Idempotency-Key: one per send attempt, reused when the same send is retried. */
function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The sends of one form: sending the same body again (after a refusal or a lost connection)
 * reuses its Idempotency-Key, so the server keeps it once; a changed body is a new send.
 */
export function formSends() {
  let attempt = null;
  return async (path, body) => {
    const json = JSON.stringify(body);
    if (!attempt || attempt.json !== json) attempt = { key: newIdempotencyKey(), json };
    const answer = await postJSON(path, body, { idempotencyKey: attempt.key });
    attempt = null;
    return answer;
  };
}

/** The signed form-start time for a pin or reply form, asked for when the form opens. */
export async function formStart() {
  return (await request('GET', '/api/form-start')).token;
}

async function send(method, path, body, extraHeaders = {}) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json', 'Accept-Language': language(), ...extraHeaders };
  if (csrfToken && method !== 'GET') headers['X-CSRF-Token'] = csrfToken;
  const init = { method, headers, credentials: 'same-origin' };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (error) {
    throw new ProblemError({ detail: null, title: null, offline: true }, 0);
  }
}

async function refusal(response) {
  const type = response.headers.get('content-type') || '';
  return new ProblemError(type.includes('json') ? await response.json() : {}, response.status);
}

async function request(method, path, body, headers) {
  if (needsParticipant(method, path)) await ensureParticipant();
  const response = await send(method, path, body, headers);
  if (!response.ok) throw await refusal(response);
  const type = response.headers.get('content-type') || '';
  return type.includes('json') ? response.json() : null;
}

/** A file download: its bytes and the name the server gives it (Content-Disposition). */
export async function getFile(path) {
  const response = await send('GET', path);
  if (!response.ok) throw await refusal(response);
  const disposition = response.headers.get('content-disposition') || '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] || 'download';
  return { blob: await response.blob(), name };
}

export const getJSON = (path) => request('GET', path);
/** POST JSON; `idempotencyKey` makes a retry of the same send return the first answer. */
export const postJSON = (path, body, { idempotencyKey } = {}) => request('POST', path, body, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {});
export const patchJSON = (path, body) => request('PATCH', path, body);
export const putJSON = (path, body) => request('PUT', path, body);
export const deleteJSON = (path) => request('DELETE', path);
/** Upload a multipart form (a photo); the answer is JSON like any other. */
export const postForm = (path, formData) => request('POST', path, formData);
export const putForm = (path, formData) => request('PUT', path, formData);

export function contributionsPath(slug, categories) {
  const params = new URLSearchParams();
  for (const key of categories) params.append('category', key);
  const query = params.toString();
  return `/api/consultations/${encodeURIComponent(slug)}/contributions${query ? `?${query}` : ''}`;
}

/** What the map shows of a view ({bbox, zoom}): lean pins or clusters (GeoJSON). */
export function mapViewPath(slug, view, categories) {
  const params = new URLSearchParams({ bbox: view.bbox, zoom: String(view.zoom) });
  for (const key of categories) params.append('category', key);
  return `/api/consultations/${encodeURIComponent(slug)}/map?${params}`;
}

/** One page of the list: in `bbox` (all without one) plus the pins without a place. */
export function listPath(slug, { bbox, categories, sort, limit, offset }) {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset), sort, unplaced: 'true' });
  if (bbox) params.set('bbox', bbox);
  const path = contributionsPath(slug, categories);
  return `${path}${path.includes('?') ? '&' : '?'}${params}`;
}
