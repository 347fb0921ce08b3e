// The contribution form: place a pin, pick a category, write, consent, send.

import { formSends, formStart, postForm, refusalText } from './api.js';
import { posterFor } from './deeplink.js';
import { announce, el } from './dom.js';
import { t } from './i18n.js';
import * as mapView from './map.js';
import { resetNearby, updateNearby } from './nearby.js';
import { allCategories } from './pins.js';
import { currentPlace, placeAtPoint, setupPlaces, startChoosing } from './places.js';

const FIELDS = ['category', 'text', 'author_name', 'contact_email', 'consent', 'geometry', 'photo_id', 'photo_alt'];
const TEXT_MAX = 2000;
let form;
let consultation = null;
let photoId = null;
let formToken = Promise.resolve(null);
// Sends of the open form: a retry of the same data reuses its Idempotency-Key.
let send = formSends();
let onSent = () => {};

const $ = (id) => document.getElementById(id);

function clearErrors() {
  for (const field of FIELDS) {
    const box = $(`error-${field}`);
    box.hidden = true;
    box.textContent = '';
    const input = form.elements[field];
    if (input) input.removeAttribute('aria-invalid');
  }
  $('form-error').hidden = true;
}

function showError(field, message) {
  const box = $(`error-${field}`);
  box.textContent = message;
  box.hidden = false;
  const input = form.elements[field];
  if (input) input.setAttribute('aria-invalid', 'true');
}

function updateCount() {
  const used = form.elements.text.value.length;
  $('text-count').textContent = t('chars_left', { count: TEXT_MAX - used });
}

/** Open the form for `current` consultation and put the map into placement mode; with `at`
 * ([lon, lat], from a poster's link) the pin is placed there and the topic is next. */
export function openForm(current, { at = null } = {}) {
  consultation = current;
  formToken = formStart().catch(() => null);
  send = formSends();
  clearErrors();
  const select = form.elements.category;
  select.replaceChildren(
    el('option', { value: '' }, t('choose_category')),
    ...allCategories().map((c) => el('option', { value: c.key }, `${c.letter} – ${c.label}`)),
  );
  $('consultation-info').hidden = true;
  $('thanks').hidden = true;
  resetPhoto();
  $('photo-fields').hidden = !current.allow_photos;
  form.hidden = false;
  $('placing-hint').textContent = t('placing_hint');
  $('placing-hint').hidden = false;
  updateCount();
  resetNearby();
  startChoosing(current);
  if (at) {
    placeAtPoint(at[0], at[1]);
    form.elements.category.focus();
  } else {
    $('form-heading').focus();
  }
}

/** Published pins of the chosen topic near the chosen point, while the resident writes. */
function refreshNearby() {
  updateNearby(consultation?.slug, form.elements.category.value, currentPlace().geometry);
}

/** Close the form and leave placement mode; focus returns to the add button. */
export function closeForm({ reset = true } = {}) {
  mapView.stopPlacing();
  resetNearby();
  $('placing-hint').hidden = true;
  form.hidden = true;
  if (reset) form.reset();
  $('consultation-info').hidden = false;
}

function collect() {
  const place = currentPlace();
  const data = {
    geometry: place.geometry,
    category: form.elements.category.value,
    text: form.elements.text.value.trim(),
    consent: form.elements.consent.checked,
  };
  if (place.withoutLocation) data.without_location = true;
  const poster = posterFor(consultation.slug);
  if (poster) data.poster = poster;
  if (photoId) {
    data.photo_id = photoId;
    const alt = form.elements.photo_alt.value.trim();
    if (alt) data.photo_alt = alt;
  }
  const name = form.elements.author_name.value.trim();
  const email = form.elements.contact_email.value.trim();
  if (name) data.author_name = name;
  if (email) data.contact_email = email;
  // The honeypot: hidden from people, so only a bot fills it.
  if (form.elements.website.value) data.website = form.elements.website.value;
  return data;
}

/** The form-start token asked for when the form opened (asked again if that failed). */
async function currentFormToken() {
  const token = await formToken;
  if (token) return token;
  formToken = formStart().catch(() => null);
  return formToken;
}

/** Checks the browser can do before sending; the server checks everything again. */
function localProblems(data) {
  const problems = {};
  if (!data.geometry && !data.without_location) problems.geometry = t('error_no_location');
  if (!data.category) problems.category = t('error_no_category');
  if (!data.text) problems.text = t('error_no_text');
  if (!data.consent) problems.consent = t('error_no_consent');
  return problems;
}

async function submit(event) {
  event.preventDefault();
  clearErrors();
  const data = collect();
  const problems = localProblems(data);
  if (Object.keys(problems).length) {
    for (const [field, message] of Object.entries(problems)) showError(field, message);
    announce(t('error_check_form'));
    focusFirstError();
    return;
  }
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const token = await currentFormToken();
    if (token) data.form_token = token;
    const created = await send(`/api/consultations/${encodeURIComponent(consultation.slug)}/contributions`, data);
    closeForm({ reset: true });
    onSent(created);
  } catch (error) {
    const message = refusalText(error);
    const fieldMessages = Object.entries(error.fields).filter(([field]) => FIELDS.includes(field));
    for (const [field, message] of fieldMessages) showError(field, message);
    if (!fieldMessages.length) {
      $('form-error').textContent = message;
      $('form-error').hidden = false;
    }
    announce(message);
    focusFirstError();
  } finally {
    button.disabled = false;
  }
}

function focusFirstError() {
  const first = FIELDS.find((field) => !$(`error-${field}`).hidden);
  const input = first && form.elements[first];
  if (input && typeof input.focus === 'function') input.focus();
  else if (first === 'geometry') $('location-status').scrollIntoView({ block: 'nearest' });
}

function resetPhoto() {
  photoId = null;
  $('field-photo').value = '';
  $('photo-status').textContent = '';
  $('photo-preview').hidden = true;
  $('photo-preview').removeAttribute('src');
}

/** Upload the chosen photo at once; the server re-encodes it and strips every metadata block. */
async function uploadPhoto() {
  const file = $('field-photo').files[0];
  photoId = null;
  $('photo-preview').hidden = true;
  $('error-photo_id').hidden = true;
  if (!file) return;
  $('photo-status').textContent = t('photo_uploading');
  const data = new FormData();
  data.append('file', file);
  try {
    const uploaded = await postForm('/api/photos', data);
    photoId = uploaded.id;
    $('photo-preview').src = uploaded.thumbnail_url;
    $('photo-preview').alt = t('photo_preview');
    $('photo-preview').hidden = false;
    $('photo-status').textContent = t('photo_ready');
  } catch (error) {
    const message = refusalText(error);
    $('photo-status').textContent = '';
    showError('photo_id', message);
    $('field-photo').value = '';
  }
  announce($('photo-status').textContent || $('error-photo_id').textContent);
}

/** Wire the form once; `sent(created)` runs after the server acknowledged a contribution. */
export function setupForm(sent) {
  form = $('contribution-form');
  onSent = sent;
  setupPlaces((place) => {
    if (place.geometry || place.withoutLocation) $('error-geometry').hidden = true;
    refreshNearby();
  });
  form.elements.category.addEventListener('change', refreshNearby);
  form.addEventListener('submit', submit);
  form.elements.text.addEventListener('input', updateCount);
  $('field-photo').addEventListener('change', uploadPhoto);
  $('cancel-button').addEventListener('click', () => {
    closeForm();
    $('add-button').focus();
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      closeForm();
      $('add-button').focus();
    }
  });
}
