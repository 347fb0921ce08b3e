// A poster's link, read back: the spot and the poster's key, and nothing made up from a bad link.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrivedFrom, posterFor, readLink } from '../../static/js/deeplink.js';

const BASE = 'https://beteiligung.kamen.example/';

test('a poster link gives consultation, spot and key', () => {
  const link = readLink(`${BASE}?c=ortsmitte&at=7.713806,51.576500&via=poster-k7mq2xab`);
  assert.deepEqual(link, { slug: 'ortsmitte', at: [7.713806, 51.5765], poster: 'k7mq2xab' });
});

test('a malformed spot or key is ignored, not guessed at', () => {
  for (const at of ['7.7', '7.7,abc', '200,51.5', '7.7,51.5,3', 'Infinity,51.5', '']) {
    assert.equal(readLink(`${BASE}?c=x&at=${at}`).at, null, at);
  }
  for (const via of ['poster-', 'poster-K7MQ2XAB', 'poster-k7mq2xab1', 'flyer-k7mq2xab', 'poster-k7mq"2xa']) {
    assert.equal(readLink(`${BASE}?c=x&via=${encodeURIComponent(via)}`).poster, null, via);
  }
});

test('the poster key goes only with pins on its own consultation', () => {
  arrivedFrom('ortsmitte', 'k7mq2xab');
  assert.equal(posterFor('ortsmitte'), 'k7mq2xab');
  assert.equal(posterFor('park-bergstrasse'), null);
});
