// Posters with a QR code: pick a place or a point, the size and a second language; the server
// makes the PDF. The table lists the consultation's posters with the pins each brought.

import { getJSON, postJSON } from '../api.js';
import { el } from '../dom.js';
import { language, placeLabel, t } from '../i18n.js';
import { download } from './exports.js';
import { busy, clearError, showError } from './feedback.js';
import { consultationPath } from './state.js';

const $ = (id) => document.getElementById(id);
const LANGUAGES = ['de', 'en', 'tr', 'ar', 'uk', 'pl', 'ru'];
let places = null;

function point() {
  const text = $('poster-point').value.trim();
  if (!text) return null;
  const coordinates = text.split(',').map((part) => Number(part.trim()));
  return { type: 'Point', coordinates };
}

function languageName(code) {
  return new Intl.DisplayNames([language()], { type: 'language' }).of(code) || code;
}

async function make(event) {
  event.preventDefault();
  clearError($('poster-error'));
  const geometry = point();
  const body = { size: $('poster-size').value, language: $('poster-language').value };
  if (geometry) body.geometry = geometry;
  else body.place = $('poster-place').value;
  let poster;
  try {
    poster = await busy(event.submitter, () => postJSON(consultationPath('/posters'), body));
  } catch (error) {
    showError($('poster-error'), error);
    return;
  }
  await download(event.submitter, poster.pdf_url, $('poster-error'));
  await list();
}

function row(poster) {
  const where = poster.place || poster.coordinates.map((n) => n.toFixed(5)).join(', ');
  const button = el('button', { type: 'button', className: 'button', disabled: !poster.link }, t('planner_poster_download'));
  button.setAttribute('aria-label', t('planner_poster_download_of', { place: where }));
  button.addEventListener('click', () => download(button, poster.pdf_url, $('poster-error')));
  return el('tr', { 'data-key': poster.key },
    el('th', { scope: 'row' }, where),
    el('td', {}, languageName(poster.language)),
    el('td', {}, poster.size),
    el('td', {}, String(poster.contributions)),
    el('td', {}, button));
}

async function list() {
  let posters = [];
  try {
    const answer = await getJSON(consultationPath('/posters'));
    posters = answer.posters;
    // Without the service's public address a QR code would lead nowhere: say so, make none.
    $('posters-not-ready').hidden = answer.ready;
    $('poster-make').disabled = !answer.ready;
  } catch (error) {
    showError($('poster-error'), error);
  }
  $('poster-list').replaceChildren(...posters.map(row));
  if (!posters.length) {
    $('poster-list').replaceChildren(el('tr', {}, el('td', { colspan: 5 }, t('planner_none_yet'))));
  }
}

export function setup() {
  $('poster-form').addEventListener('submit', make);
  $('poster-point').addEventListener('input', () => {
    $('poster-place').disabled = Boolean($('poster-point').value.trim());
  });
}

export async function show() {
  places ||= await getJSON('/api/reference/places');
  $('poster-place').replaceChildren(...places.features.map((feature) =>
    el('option', { value: feature.id }, placeLabel(feature.properties))));
  $('poster-language').replaceChildren(...LANGUAGES.map((code) =>
    el('option', { value: code, selected: code === 'en' },
      code === 'de' ? t('planner_poster_german_only') : languageName(code))));
  await list();
}
