// The only module that talks HTTP: JSON in and out, problem+json turned into ProblemError.

import { language } from './i18n.js';

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    // Field-level messages, keyed by field name, for showing next to the inputs.
    this.fields = Object.fromEntries((problem.errors || []).map((e) => [e.field, e.message]));
  }
}

let csrfToken = null;

/** The planner session's token; every state-changing request sends it as X-CSRF-Token. */
export function setCsrfToken(token) {
  csrfToken = token;
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json', 'Accept-Language': language() };
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

async function request(method, path, body) {
  const response = await send(method, path, body);
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
export const postJSON = (path, body) => request('POST', path, body);
export const patchJSON = (path, body) => request('PATCH', path, body);
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
