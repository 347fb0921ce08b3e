// Dates, times and labels as people read them, in their language and Heeren's time zone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import './server.mjs';
import {
  codeLabel, formatDate, formatMoment, fromLocalInput, loadLanguage, localText, placeLabel, t, toLocalInput,
} from '../../static/js/i18n.js';

// 22:30 UTC on 30 June is already 1 July in Heeren (summer time, UTC+2).
const LATE_JUNE_NIGHT = '2026-06-30T22:30:00Z';

test('a date is shown as the day it is in Heeren, in German format', async () => {
  await loadLanguage('de');
  assert.equal(formatDate(LATE_JUNE_NIGHT), '01.07.2026');
});

test('a date is shown in Arabic format on the Arabic page', async () => {
  await loadLanguage('ar');
  assert.equal(formatDate(LATE_JUNE_NIGHT), '01\u200f/07\u200f/2026');
});

test('English and Ukrainian pages name the month in their language', async () => {
  await loadLanguage('en');
  assert.equal(formatDate(LATE_JUNE_NIGHT), 'Jul 1, 2026');
  await loadLanguage('uk');
  assert.equal(formatDate(LATE_JUNE_NIGHT), '1 лип. 2026 р.');
});

test('the audit trail shows date and time in Heeren', async () => {
  await loadLanguage('de');
  assert.equal(formatMoment(LATE_JUNE_NIGHT), '01.07.2026, 00:30');
  assert.equal(formatMoment('2026-12-01T08:05:00Z'), '01.12.2026, 09:05');
});

test('a consultation time fills the form in Heeren time, summer and winter', () => {
  assert.equal(toLocalInput(LATE_JUNE_NIGHT), '2026-07-01T00:30');
  assert.equal(toLocalInput('2026-12-01T08:05:00Z'), '2026-12-01T09:05');
});

test('a time typed into the form is read as Heeren time, either side of the clock change', () => {
  // Summer time starts on 29 March 2026 at 02:00.
  assert.equal(fromLocalInput('2026-03-28T10:00'), '2026-03-28T09:00:00.000Z');
  assert.equal(fromLocalInput('2026-03-29T10:00'), '2026-03-29T08:00:00.000Z');
  assert.equal(fromLocalInput(toLocalInput('2026-10-25T12:00:00Z')), '2026-10-25T12:00:00.000Z');
});

test('texts take their values, in the chosen language', async () => {
  await loadLanguage('de');
  assert.equal(t('status_open', { date: '01.07.2026' }), 'Offen bis 01.07.2026. Machen Sie mit!');
  await loadLanguage('ar');
  assert.equal(t('status_open', { date: 'X' }), 'مفتوحة حتى X. شارك معنا!');
  assert.equal(t('status_open'), 'مفتوحة حتى {date}. شارك معنا!');
});

test('a code the catalogs do not know is shown as it is, not as a catalog key', async () => {
  await loadLanguage('de');
  assert.equal(codeLabel('status', 'hidden'), 'Ausgeblendet');
  assert.equal(codeLabel('audit_field', 'geometry'), 'Ort');
  assert.equal(codeLabel('reason', 'something_new'), 'something_new');
  await loadLanguage('ar');
  assert.equal(codeLabel('status', 'hidden'), 'مخفية');
});

test('texts given per language fall back to German', async () => {
  const title = { de: 'Marktplatz', en: 'Market square' };
  await loadLanguage('en');
  assert.equal(localText(title), 'Market square');
  await loadLanguage('tr');
  assert.equal(localText(title), 'Marktplatz');
  assert.equal(localText(null), '');
});

test('place names stay German except on the English page', async () => {
  const place = { label: 'Heerener Markt', label_en: 'Heeren market' };
  await loadLanguage('pl');
  assert.equal(placeLabel(place), 'Heerener Markt');
  await loadLanguage('en');
  assert.equal(placeLabel(place), 'Heeren market');
  assert.equal(placeLabel({ label: 'Werve' }), 'Werve');
});
