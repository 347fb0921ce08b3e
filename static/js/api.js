// The only module that talks HTTP: JSON in and out, problem+json turned into ProblemError.

export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    // Field-level messages, keyed by field name, for showing next to the inputs.
    this.fields = Object.fromEntries((problem.errors || []).map((e) => [e.field, e.message]));
  }
}

let language = 'de';

export function setLanguage(code) {
  language = code;
}

async function request(method, path, body) {
  const headers = { Accept: 'application/json, application/geo+json, application/problem+json', 'Accept-Language': language };
  const init = { method, headers, credentials: 'same-origin' };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ProblemError({ detail: null, title: null, offline: true }, 0);
  }
  const type = response.headers.get('content-type') || '';
  const data = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new ProblemError(data || {}, response.status);
  }
  return data;
}

export const getJSON = (path) => request('GET', path);
export const postJSON = (path, body) => request('POST', path, body);
export const deleteJSON = (path) => request('DELETE', path);
/** Upload a multipart form (a photo); the answer is JSON like any other. */
export const postForm = (path, formData) => request('POST', path, formData);

export function contributionsPath(slug, categories) {
  const params = new URLSearchParams();
  for (const key of categories) params.append('category', key);
  const query = params.toString();
  return `/api/consultations/${encodeURIComponent(slug)}/contributions${query ? `?${query}` : ''}`;
}
