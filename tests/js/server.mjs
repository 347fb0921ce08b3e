// A stand-in for the server behind `fetch`: the UI catalogs come from static/i18n as the app
// serves them; every other request is answered by the test's `answer(path, init)` and recorded.

import { readFile } from 'node:fs/promises';

const CATALOGS = new URL('../../static/i18n/', import.meta.url);

export const requests = [];
let answer = () => new Response(null, { status: 404 });

/** Answer the next requests with `handler(path, init)` (a Response, or a throw for "offline"). */
export function serve(handler) {
  requests.length = 0;
  answer = handler;
}

globalThis.fetch = async (path, init = {}) => {
  const catalog = /^\/i18n\/(\w+)\.json$/.exec(path);
  if (catalog) return new Response(await readFile(new URL(`${catalog[1]}.json`, CATALOGS)));
  requests.push({ path, ...init });
  return answer(path, init);
};

/** A JSON answer with `status` and `type` as its content type. */
export function json(status, body, type = 'application/json') {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
}
