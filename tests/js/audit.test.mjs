// The audit trail in words: who did what when, and each change as before → after.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './server.mjs';
import { loadLanguage } from '../../static/js/i18n.js';
import { changeText, eventText } from '../../static/js/planner/audit.js';

test('an audit event says when in Heeren, what and by whom', async () => {
  await loadLanguage('de');
  assert.equal(eventText({ actor: 'anna', action: 'hide', created_at: '2026-06-30T22:30:00Z' }),
    '01.07.2026, 00:30: Ausgeblendet durch anna');
  await loadLanguage('en');
  assert.equal(eventText({ actor: 'anna', action: 'later_action', created_at: '2026-12-01T08:05:00Z' }),
    'Dec 1, 2026, 9:05 AM: later_action by anna');
});

test('coded values are shown in words, an empty one as a dash', async () => {
  await loadLanguage('de');
  assert.equal(changeText('status', ['published', 'hidden']), 'Status: Veröffentlicht → Ausgeblendet');
  assert.equal(changeText('status_reason', [null, 'insult']), 'Grund: – → Beleidigung');
  assert.equal(changeText('text', ['Bank', '']), 'Text: Bank → –');
});

test('a moved pin shows its coordinates to six decimals', async () => {
  await loadLanguage('de');
  const before = { type: 'Point', coordinates: [7.7012345678, 51.61] };
  const after = { type: 'Point', coordinates: [7.7, 51.6101] };
  assert.equal(changeText('geometry', [before, after]), 'Ort: 7.701235, 51.610000 → 7.700000, 51.610100');
});
