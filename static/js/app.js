// The resident page: loads settings and consultations, wires map, legend, list and form.

import { contributionsPath, getJSON } from './api.js';
import { closeForm, openForm, setupForm } from './contribute.js';
import { arrivedFrom, readLink } from './deeplink.js';
import { fillDetail } from './detail.js';
import { announce, el } from './dom.js';
import { formatDate, placeLabel, startLanguages, t } from './i18n.js';
import * as mapView from './map.js';
import { showMine } from './mine.js';
import {
  allCategories, category, describe, listEntry, listMeta, pinLabel, popupContent, setCategories,
} from './pins.js';

const $ = (id) => document.getElementById(id);
const state = { consultations: [], consultation: null, hidden: new Set(), features: [] };
const PREFERENCES = { contrast: 'geoapp.contrast' };

function isOpen(c, now = new Date()) {
  return c.status === 'open' && new Date(c.opens_at) <= now && now < new Date(c.closes_at);
}

function statusText(c) {
  const now = new Date();
  if (now < new Date(c.opens_at)) return t('status_not_open', { date: formatDate(c.opens_at) });
  if (isOpen(c, now)) return t('status_open', { date: formatDate(c.closes_at) });
  return t('status_closed', { date: formatDate(c.closes_at) });
}

function renderInfo(c) {
  $('consultation-title').textContent = c.title;
  $('consultation-status').textContent = statusText(c);
  $('consultation-description').textContent = c.description;
  $('consultation-question').textContent = c.question;
  // The planners' emergency brake: no new pins or replies, and residents are told why.
  $('pause-notice').textContent = c.pause_message ? t('paused_message', { message: c.pause_message }) : t('paused_default');
  $('pause-notice').hidden = !(c.paused && isOpen(c));
  $('add-button').hidden = !isOpen(c) || c.paused;
}

function renderLegend() {
  const items = allCategories().map((c) => {
    const id = `legend-${c.key}`;
    const box = el('input', { type: 'checkbox', id, checked: !state.hidden.has(c.key) });
    box.addEventListener('change', () => {
      if (box.checked) state.hidden.delete(c.key);
      else state.hidden.add(c.key);
      loadPins();
    });
    return el('li', {},
      box,
      el('label', { for: id },
        el('span', { className: 'swatch', style: { background: c.color }, 'aria-hidden': 'true' }, c.letter),
        ' ', c.label));
  });
  $('legend-list').replaceChildren(...items);
}

async function loadPins() {
  const c = state.consultation;
  const shown = allCategories().map((cat) => cat.key).filter((key) => !state.hidden.has(key));
  const filter = shown.length === allCategories().length ? [] : shown;
  const collection = shown.length ? await getJSON(contributionsPath(c.slug, filter)) : { type: 'FeatureCollection', features: [] };
  if (state.consultation !== c) return;
  state.features = collection.features;
  mapView.showPins(collection, describeWithDetail);
  renderList();
}

/** A pin's look plus what its popup loads when opened: photo, support, replies, report. */
function describeWithDetail(feature) {
  const onCount = (count) => {
    feature.properties.support_count = count;
    const meta = $('contribution-list').querySelector(`li[data-id="${CSS.escape(String(feature.id))}"] .list-meta`);
    if (meta) meta.replaceWith(listMeta(feature));
  };
  const onOpen = (popup, refresh) => {
    const slot = popup.querySelector('.pin-detail');
    if (slot) fillDetail(slot, feature.id, state.consultation, onCount, refresh);
  };
  return { ...describe(feature), onOpen };
}

async function toggleMine() {
  const section = $('mine');
  const opening = section.hidden;
  section.hidden = !opening;
  $('mine-button').setAttribute('aria-expanded', String(opening));
  if (opening) {
    await showMine();
    section.focus();
  }
}

function sortedFeatures() {
  const features = [...state.features];
  if ($('sort-select').value === 'supported') {
    features.sort((a, b) => b.properties.support_count - a.properties.support_count);
  }
  return features;
}

/** Open a list entry: its pin on the map, or (ohne Ort, or list-only view) its detail inline. */
function openEntry(feature, entry) {
  const button = entry.querySelector('.list-button');
  if (mapView.hasPin(feature.id) && !document.body.classList.contains('list-only')) {
    mapView.openPin(feature.id);
    return;
  }
  const open = entry.querySelector('.list-detail');
  if (open) {
    open.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  const content = popupContent(feature.properties);
  entry.append(el('div', { className: 'list-detail' }, content));
  button.setAttribute('aria-expanded', 'true');
  describeWithDetail(feature).onOpen(content, () => {});
}

function renderList() {
  const entries = sortedFeatures().map((feature) => listEntry(feature, openEntry));
  $('contribution-list').replaceChildren(...entries);
  $('list-count').textContent = t('list_count', { count: state.features.length });
}

/** Map and list stay in sync: the pin open on the map is marked in the list. */
function markSelected(id) {
  for (const entry of $('contribution-list').children) {
    const selected = entry.dataset.id === id;
    entry.querySelector('.list-button').toggleAttribute('aria-current', selected);
    if (selected) entry.scrollIntoView({ block: 'nearest' });
  }
}

async function selectConsultation(slug) {
  const c = state.consultations.find((item) => item.slug === slug) || state.consultations[0];
  if (!c) return;
  state.consultation = c;
  state.hidden.clear();
  $('consultation-select').value = c.slug;
  const url = new URL(window.location.href);
  url.searchParams.set('c', c.slug);
  history.replaceState(null, '', url);
  closeForm();
  $('thanks').hidden = true;
  setCategories(c.categories);
  renderInfo(c);
  renderLegend();
  mapView.showPerimeter(c.perimeter);
  await loadPins();
}

async function loadConsultations() {
  state.consultations = await getJSON('/api/consultations');
  const options = state.consultations.map((c) => el('option', { value: c.slug }, c.title));
  $('consultation-select').replaceChildren(...options);
}

function thank(created) {
  const c = state.consultation;
  const pending = created.status !== 'published';
  $('thanks-text').textContent = pending ? t('thanks_pending') : t('thanks_published');
  $('consultation-info').hidden = false;
  $('thanks').hidden = false;
  $('thanks').focus();
  announce(pending ? t('thanks_pending') : t('thanks_published'));
  if (pending && created.geometry) {
    const [lon, lat] = created.geometry.coordinates;
    const cat = category(created.category);
    mapView.addPendingPin(lon, lat, { color: cat.color, letter: cat.letter },
      `${t('status_pending')}: ${pinLabel(created)}`, popupContent(created, true));
  } else if (!pending && state.consultation === c) {
    loadPins().then(() => mapView.openPin(created.id, { takeFocus: false }));
  }
}

function mapTexts() {
  return {
    zoomIn: t('zoom_in'),
    zoomOut: t('zoom_out'),
    close: t('close'),
    cluster: (count) => t('cluster_label', { count }),
  };
}

function setContrast(on) {
  document.body.classList.toggle('high-contrast', on);
  $('contrast').setAttribute('aria-pressed', String(on));
  localStorage.setItem(PREFERENCES.contrast, on ? 'on' : 'off');
}

function setListOnly(on) {
  document.body.classList.toggle('list-only', on);
  $('list-only').setAttribute('aria-pressed', String(on));
  if (!on) mapView.resize();
}

async function languageChanged() {
  mapView.setTexts(mapTexts());
  const slug = state.consultation?.slug;
  await loadConsultations();
  await selectConsultation(slug);
}

/** A poster's link: its consultation, the form open with the pin at the poster's spot. */
function openFromLink(link) {
  const c = state.consultation;
  if (!c || c.slug !== link.slug) return;
  if (link.poster) arrivedFrom(c.slug, link.poster);
  if (link.at && isOpen(c) && !c.paused) openForm(c, { at: link.at });
}

async function start() {
  const config = await getJSON('/api/config');
  await startLanguages($('language-select'), config.languages, languageChanged);

  mapView.createMap($('map'), config);
  mapView.setTexts(mapTexts());
  setContrast(localStorage.getItem(PREFERENCES.contrast) === 'on');
  $('contrast').addEventListener('click', () => setContrast(!document.body.classList.contains('high-contrast')));
  $('list-only').addEventListener('click', () => setListOnly(!document.body.classList.contains('list-only')));
  $('sort-select').addEventListener('change', renderList);
  $('mine-button').addEventListener('click', toggleMine);
  $('map').addEventListener('contribution:selected', (event) => markSelected(event.detail.id));
  const [district, places] = await Promise.all([
    getJSON('/api/reference/district'),
    getJSON('/api/reference/places'),
  ]);
  mapView.showReference(district, places, (feature) => placeLabel(feature.properties));

  setupForm(thank);
  $('add-button').addEventListener('click', () => openForm(state.consultation));
  $('thanks-close').addEventListener('click', () => {
    $('thanks').hidden = true;
    $('add-button').focus();
  });
  $('consultation-select').addEventListener('change', (event) => selectConsultation(event.target.value));

  await loadConsultations();
  const wanted = new URL(window.location.href).searchParams.get('c');
  const firstOpen = state.consultations.find((c) => isOpen(c));
  await selectConsultation(wanted || firstOpen?.slug);
  openFromLink(readLink(window.location.href));
  document.body.dataset.ready = 'true';
}

start();
