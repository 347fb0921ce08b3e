// Where a placed pin is, in the words the form says aloud.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, requests, serve } from './server.mjs';
import { loadLanguage } from '../../static/js/i18n.js';
import { describeSpot } from '../../static/js/spot.js';

const MARKT = { label: 'Heerener Markt', label_en: 'Heeren market' };

test('a pin close to a place is said to be at it', async () => {
  await loadLanguage('de');
  serve(() => json(200, { ...MARKT, distance_m: 29.9, bearing: 10 }));
  assert.equal(await describeSpot(7.7, 51.6), 'Ort gesetzt: bei Heerener Markt.');
  assert.equal(requests[0].path, '/api/reference/nearest?lon=7.7&lat=51.6');
});

test('a pin further off is said to be so many metres, to the ten, in a direction', async () => {
  await loadLanguage('de');
  serve(() => json(200, { ...MARKT, distance_m: 124, bearing: 350 }));
  assert.equal(await describeSpot(7.7, 51.6), 'Ort gesetzt: etwa 120 m nördlich von Heerener Markt.');
  serve(() => json(200, { ...MARKT, distance_m: 86, bearing: 300 }));
  assert.equal(await describeSpot(7.7, 51.6), 'Ort gesetzt: etwa 90 m nordwestlich von Heerener Markt.');
  await loadLanguage('en');
  assert.match(await describeSpot(7.7, 51.6), /Heeren market/);
});

test('without an answer the pin is still said to be set', async () => {
  await loadLanguage('de');
  serve(() => json(503, { detail: 'später' }, 'application/problem+json'));
  assert.equal(await describeSpot(7.7, 51.6), 'Ort gesetzt. Sie können den Punkt noch verschieben.');
});
