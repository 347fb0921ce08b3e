// What a screen reader says for a pin: category, the start of its text, its supports.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './server.mjs';
import { loadLanguage } from '../../static/js/i18n.js';
import { category, clusterLabel, pinLabel, setCategories } from '../../static/js/pins.js';

const CATEGORIES = [
  { key: 'verkehr', label: 'Verkehr', color: '#b3261e' },
  { key: 'gruen', label: 'Grün', color: '#1e7b34' },
];

test("a pin's accessible name says its category, text and supports", async () => {
  await loadLanguage('de');
  setCategories(CATEGORIES);
  assert.equal(pinLabel({ category: 'gruen', text: 'Mehr Bäume am Markt', support_count: 3 }),
    'Grün: Mehr Bäume am Markt, 3 Unterstützungen');
});

test("a pin's accessible name is in the page language", async () => {
  await loadLanguage('ar');
  setCategories(CATEGORIES);
  assert.equal(pinLabel({ category: 'verkehr', text: 'Ampel', support_count: 0 }), 'Verkehr: Ampel، عدد المؤيدين: 0');
});

test('a long text is cut to 80 characters in the name, marked by an ellipsis', async () => {
  await loadLanguage('en');
  setCategories(CATEGORIES);
  const label = pinLabel({ category: 'verkehr', text: 'x'.repeat(200), support_count: 1 });
  assert.equal(label, `Verkehr: ${'x'.repeat(79)}…, 1 supports`);
  assert.equal(pinLabel({ category: 'verkehr', text: 'y'.repeat(80), support_count: 1 }), `Verkehr: ${'y'.repeat(80)}, 1 supports`);
});

test('categories get letters in their order, so colour is never the only sign', () => {
  setCategories(CATEGORIES);
  assert.equal(category('verkehr').letter, 'A');
  assert.equal(category('gruen').letter, 'B');
  assert.deepEqual(category('unbekannt'), { key: 'unbekannt', label: 'unbekannt', color: '#555', letter: '?' });
});

test("a lean map pin's name is built from the start of its text", async () => {
  await loadLanguage('de');
  setCategories(CATEGORIES);
  assert.equal(pinLabel({ category: 'gruen', excerpt: 'z'.repeat(81), support_count: 2 }),
    `Grün: ${'z'.repeat(79)}…, 2 Unterstützungen`);
});

test("a cluster's name says how many contributions, and of which topics", async () => {
  await loadLanguage('de');
  setCategories(CATEGORIES);
  assert.equal(clusterLabel({ count: 42, categories: { verkehr: 30, gruen: 12 } }),
    '42 Beiträge: 30 Verkehr; 12 Grün');
  await loadLanguage('en');
  assert.equal(clusterLabel({ count: 3, categories: { gruen: 3 } }), '3 contributions: 3 Grün');
});
