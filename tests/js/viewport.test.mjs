// The map's requests: one per calm moment, the newest answer wins, views rounded outwards.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STALE, bboxParam, debounce, latestOnly } from '../../static/js/viewport.js';

test('an answer that arrives after a newer request is dropped', async () => {
  const pending = [];
  const load = latestOnly((name) => new Promise((resolve) => pending.push(() => resolve(name))));
  const slow = load('old view');
  const fast = load('new view');
  pending[1]();
  pending[0]();
  assert.equal(await fast, 'new view');
  assert.equal(await slow, STALE);
});

test('a burst of moves asks once', async () => {
  const calls = [];
  const moved = debounce((view) => calls.push(view), 20);
  for (const view of [1, 2, 3]) moved(view);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(calls, [3]);
});

test('a view is widened outwards to four decimals and kept on the globe', () => {
  assert.equal(bboxParam(7.71234, 51.57771, 7.71899, 51.58001), '7.7123,51.5777,7.7190,51.5801');
  assert.equal(bboxParam(-200, -95, 200, 95), '-180.0000,-90.0000,180.0000,90.0000');
});
