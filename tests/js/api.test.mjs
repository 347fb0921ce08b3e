// Refusals as people see them: the server's problem+json detail, or that the network is down.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, requests, serve } from './server.mjs';
import {
  ProblemError, contributionsPath, formSends, listPath, mapViewPath, getFile, getJSON, patchJSON, postJSON, refusalText, setCsrfToken,
} from '../../static/js/api.js';
import { loadLanguage } from '../../static/js/i18n.js';
import { problemText } from '../../static/js/planner/feedback.js';

const PROBLEM = 'application/problem+json';

/** The Idempotency-Keys of the pins sent (the participant token is asked for first, once). */
const sentKeys = () => requests.filter((r) => r.path.endsWith('/contributions')).map((r) => r.headers['Idempotency-Key']);

test('a problem+json refusal becomes the message shown, with its field messages', async () => {
  await loadLanguage('de');
  serve(() => json(422, {
    type: 'about:blank', title: 'Unprocessable', status: 422,
    detail: 'Bitte schreiben Sie höchstens 2000 Zeichen.',
    errors: [{ field: 'text', message: 'Zu lang.' }],
  }, PROBLEM));
  const refusal = await getJSON('/api/consultations/x').catch((error) => error);
  assert.ok(refusal instanceof ProblemError);
  assert.equal(refusal.status, 422);
  assert.equal(refusal.message, 'Bitte schreiben Sie höchstens 2000 Zeichen.');
  assert.deepEqual(refusal.fields, { text: 'Zu lang.' });
  assert.equal(refusalText(refusal), 'Bitte schreiben Sie höchstens 2000 Zeichen.');
  assert.equal(problemText(refusal), 'Bitte schreiben Sie höchstens 2000 Zeichen.');
});

test('a refusal without detail shows its title, one without JSON its status', async () => {
  serve(() => json(409, { title: 'Schon vorhanden' }, PROBLEM));
  assert.equal((await getJSON('/api/x').catch((e) => e)).message, 'Schon vorhanden');
  serve(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
  const refusal = await getJSON('/api/x').catch((e) => e);
  assert.equal(refusal.message, 'HTTP 502');
  assert.deepEqual(refusal.fields, {});
});

test('with the network down a resident is told their text is still there', async () => {
  serve(() => {
    throw new TypeError('Failed to fetch');
  });
  const refusal = await getJSON('/api/consultations').catch((e) => e);
  await loadLanguage('de');
  assert.equal(refusalText(refusal), 'Keine Verbindung. Ihr Text ist noch da. Bitte versuchen Sie es gleich noch einmal.');
});

test('a bug in the page is not dressed up as a refusal', () => {
  const bug = new TypeError('x is undefined');
  assert.throws(() => refusalText(bug), bug);
});

test('with the network down the planner is told so, in the page language', async () => {
  serve(() => {
    throw new TypeError('Failed to fetch');
  });
  const refusal = await getJSON('/api/planner/contributions').catch((e) => e);
  assert.ok(refusal instanceof ProblemError);
  assert.equal(refusal.problem.offline, true);
  await loadLanguage('de');
  assert.equal(problemText(refusal), 'Keine Verbindung zum Server. Bitte prüfen Sie die Internetverbindung und versuchen Sie es noch einmal.');
  await loadLanguage('ar');
  assert.equal(problemText(refusal), 'لا يوجد اتصال بالخادم. يرجى التحقق من الاتصال بالإنترنت والمحاولة مرة أخرى.');
});

test('the server is asked to answer in the page language', async () => {
  await loadLanguage('tr');
  serve(() => json(200, []));
  await getJSON('/api/consultations');
  assert.equal(requests[0].headers['Accept-Language'], 'tr');
});

test("a resident's first send asks for a participant token, once per page", async () => {
  serve(() => json(201, { id: 'p1' }));
  await postJSON('/api/consultations/a/contributions', { text: 'Bank' }, { idempotencyKey: 'k1' });
  await postJSON('/api/consultations/a/contributions', { text: 'Baum' });
  assert.deepEqual(requests.map((r) => `${r.method} ${r.path}`), [
    'POST /api/participant', 'POST /api/consultations/a/contributions', 'POST /api/consultations/a/contributions',
  ]);
  assert.equal(requests[1].headers['Idempotency-Key'], 'k1');
  assert.equal(requests[1].body, JSON.stringify({ text: 'Bank' }));
  assert.equal(requests[2].headers['Idempotency-Key'], undefined);
});

test('sending the same pin again after a refusal cannot make two; the next pin is a new send', async () => {
  const send = formSends();
  let calls = 0;
  serve(() => (++calls === 1 ? json(503, { detail: 'Bitte gleich noch einmal.' }, PROBLEM) : json(201, { id: 'p1' })));
  await assert.rejects(send('/api/consultations/a/contributions', { text: 'Bank' }), /Bitte gleich noch einmal/);
  await send('/api/consultations/a/contributions', { text: 'Bank' });
  await send('/api/consultations/a/contributions', { text: 'Bank' });
  const [refused, retried, next] = sentKeys();
  assert.equal(retried, refused);
  assert.notEqual(next, retried);
  assert.match(next, /^[0-9a-f]{32}$/);
});

test('a changed pin after a refusal is a new send', async () => {
  const send = formSends();
  let calls = 0;
  serve(() => (++calls === 1 ? json(422, { detail: 'Zu lang.' }, PROBLEM) : json(201, { id: 'p1' })));
  await assert.rejects(send('/api/consultations/a/contributions', { text: 'Bank'.repeat(600) }));
  await send('/api/consultations/a/contributions', { text: 'Bank' });
  const [refused, changed] = sentKeys();
  assert.notEqual(changed, refused);
});

test('planner changes carry the session CSRF token, reads do not', async () => {
  setCsrfToken('csrf-1');
  serve(() => json(200, {}));
  await patchJSON('/api/planner/contributions/1', { text: 'neu' });
  await getJSON('/api/planner/contributions');
  assert.equal(requests[0].headers['X-CSRF-Token'], 'csrf-1');
  assert.equal(requests[1].headers['X-CSRF-Token'], undefined);
  setCsrfToken(null);
});

test('a download keeps the file name the server gives it', async () => {
  serve(() => new Response('a,b', { headers: { 'content-disposition': 'attachment; filename="heeren-2026.csv"' } }));
  const file = await getFile('/api/planner/consultations/a/export?format=csv');
  assert.equal(file.name, 'heeren-2026.csv');
  assert.equal(await file.blob.text(), 'a,b');
  serve(() => new Response('x'));
  assert.equal((await getFile('/x')).name, 'download');
});

test('the pins of chosen categories are asked for by a safe path', () => {
  assert.equal(contributionsPath('markt platz', []), '/api/consultations/markt%20platz/contributions');
  assert.equal(contributionsPath('a', ['verkehr', 'grün']), '/api/consultations/a/contributions?category=verkehr&category=gr%C3%BCn');
});

test('the map asks for its view, the list for one page of it', () => {
  assert.equal(mapViewPath('a b', { bbox: '7.7,51.5,7.8,51.6', zoom: 15 }, ['grün']),
    '/api/consultations/a%20b/map?bbox=7.7%2C51.5%2C7.8%2C51.6&zoom=15&category=gr%C3%BCn');
  assert.equal(listPath('a', { bbox: null, categories: [], sort: 'newest', limit: 50, offset: 100 }),
    '/api/consultations/a/contributions?limit=50&offset=100&sort=newest&unplaced=true');
  assert.equal(listPath('a', { bbox: '1,2,3,4', categories: ['x'], sort: 'supported', limit: 50, offset: 0 }),
    '/api/consultations/a/contributions?category=x&limit=50&offset=0&sort=supported&unplaced=true&bbox=1%2C2%2C3%2C4');
});
