// What a screen reader says for a pin: category, the start of its text, its supports.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './server.mjs';
import { loadLanguage } from '../../static/js/i18n.js';
import { category, pinLabel, setCategories } from '../../static/js/pins.js';

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
