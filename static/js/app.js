// The resident page: loads settings and consultations, wires map, legend, list and form.

import { getJSON, listPath, mapViewPath, refusalText } from './api.js';
import { closeForm, openForm, setupForm } from './contribute.js';
import { arrivedFrom, readLink } from './deeplink.js';
import { fillDetail } from './detail.js';
import { announce, el } from './dom.js';
import { formatDate, placeLabel, startLanguages, t } from './i18n.js';
import * as mapView from './map.js';
import { showMine } from './mine.js';
import {
  allCategories, category, clusterLabel, describe, listEntry, listMeta, pinLabel, popupContent,
  setCategories,
} from './pins.js';
import { STALE, latestOnly } from './viewport.js';

const $ = (id) => document.getElementById(id);
// `features` is the list's current page: `offset` into `total` pins of the view.
const state = {
  consultations: [], consultation: null, hidden: new Set(), features: [], total: 0, offset: 0, selected: null,
};
const PAGE = 50;
const NOTHING = { type: 'FeatureCollection', kind: 'pins', features: [], numberMatched: 0 };
// Only the answer to the newest request draws: the map may have moved on meanwhile.
const fetchMap = latestOnly((path) => (path ? getJSON(path) : NOTHING));
const fetchList = latestOnly((path) => (path ? getJSON(path) : NOTHING));
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
      refresh();
    });
    return el('li', {},
      box,
      el('label', { for: id },
        el('span', { className: 'swatch', style: { background: c.color }, 'aria-hidden': 'true' }, c.letter),
        ' ', c.label));
  });
  $('legend-list').replaceChildren(...items);
}

/** The topics ticked in the legend, and the category filter to send (none when all are). */
function shownCategories() {
  const all = allCategories().map((cat) => cat.key);
  const shown = all.filter((key) => !state.hidden.has(key));
  return { shown, filter: shown.length === all.length ? [] : shown };
}

/** Map and list for the view the map shows now, asked for at once; the list is drawn after
 * the map, so what the list says is on the map already is. */
async function refresh() {
  const c = state.consultation;
  const asked = [askMap(), askList(0)];
  const answer = await asked[0];
  if (state.consultation === c && answer !== STALE) drawMap(answer);
  const page = await asked[1];
  if (state.consultation === c && page !== STALE) showPage(page, 0);
}

/** What the map shows of its view: lean pins, or clusters when the view holds many. */
function askMap() {
  const { shown, filter } = shownCategories();
  return fetchMap(shown.length ? mapViewPath(state.consultation.slug, mapView.currentView(), filter) : null);
}

function drawMap(answer) {
  if (answer.kind === 'clusters') mapView.showClusters(answer, clusterLabel);
  else mapView.showPins(answer, describeWithDetail);
}

/** One page of the list: the pins in the map's view (all of them without the map), and those
 * without a place. */
function askList(offset) {
  const { shown, filter } = shownCategories();
  const listOnly = document.body.classList.contains('list-only');
  return fetchList(shown.length ? listPath(state.consultation.slug, {
    bbox: listOnly ? null : mapView.currentView().bbox,
    categories: filter,
    sort: $('sort-select').value,
    limit: PAGE,
    offset,
  }) : null);
}

async function loadList(offset) {
  const c = state.consultation;
  const page = await askList(offset);
  if (page !== STALE && state.consultation === c) showPage(page, offset);
}

/** Show a page of the list; the same pins in the same order are left as they are (an entry
 * opened in the list stays open). */
function showPage(page, offset) {
  const same = offset === state.offset && page.features.length === state.features.length
    && page.features.every((feature, i) => String(feature.id) === String(state.features[i].id));
  state.total = page.numberMatched;
  state.offset = offset;
  if (same) {
    renderCount();
    return;
  }
  state.features = page.features;
  renderList();
}

/** The page shown is re-sorted at once (it is the whole list when the view holds one page),
 * then the first page in the new order is asked for. */
function sortChanged() {
  if ($('sort-select').value === 'supported') {
    state.features.sort((a, b) => b.properties.support_count - a.properties.support_count);
  }
  renderList();
  loadList(0);
}

/** A new support count: the list entry of that pin says it too. */
function countChanged(id, count) {
  const feature = state.features.find((item) => String(item.id) === String(id));
  if (!feature) return;
  feature.properties.support_count = count;
  const meta = $('contribution-list').querySelector(`li[data-id="${CSS.escape(String(id))}"] .list-meta`);
  if (meta) meta.replaceWith(listMeta(feature));
}

/** A lean pin's look; opening it fetches its detail (text, name, date, photo, replies) into
 * the popup, which keeps the focus while it fills. */
function describeWithDetail(feature) {
  const onOpen = async (popup, refreshPopup) => {
    let detail;
    try {
      detail = await getJSON(`/api/contributions/${encodeURIComponent(feature.id)}`);
    } catch (error) {
      popup.replaceChildren(el('p', { className: 'form-message' }, refusalText(error)));
      refreshPopup();
      return;
    }
    popup.replaceChildren(...popupContent(detail).childNodes);
    const slot = popup.querySelector('.pin-detail');
    fillDetail(slot, feature.id, state.consultation, (count) => countChanged(feature.id, count), refreshPopup, detail);
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
  fillDetail(content.querySelector('.pin-detail'), feature.id, state.consultation, (count) => countChanged(feature.id, count), () => {});
}

function renderList() {
  const entries = state.features.map((feature) => listEntry(feature, openEntry));
  $('contribution-list').replaceChildren(...entries);
  renderCount();
  markSelected(state.selected, false);
}

function renderCount() {
  const paged = state.total > PAGE;
  $('list-count').textContent = paged
    ? t('list_range', { from: state.offset + 1, to: state.offset + state.features.length, count: state.total })
    : t('list_count', { count: state.total });
  $('list-pager').hidden = !paged;
  $('list-pager').setAttribute('aria-label', t('list_pager'));
  $('list-previous').disabled = state.offset === 0;
  $('list-next').disabled = state.offset + PAGE >= state.total;
}

/** Map and list stay in sync: the pin open on the map is marked in the list. */
function markSelected(id, scroll = true) {
  state.selected = id;
  for (const entry of $('contribution-list').children) {
    const selected = entry.dataset.id === id;
    entry.querySelector('.list-button').toggleAttribute('aria-current', selected);
    if (selected && scroll) entry.scrollIntoView({ block: 'nearest' });
  }
}

async function selectConsultation(slug) {
  const c = state.consultations.find((item) => item.slug === slug) || state.consultations[0];
  if (!c) return;
  state.consultation = c;
  state.hidden.clear();
  state.selected = null;
  mapView.clearPins();
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
  await refresh();
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
    refresh().then(() => mapView.openPin(created.id, { takeFocus: false }));
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
  loadList(0);
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
  // Asked for at once: outline and places do not wait for the settings and the language.
  const reference = Promise.all([getJSON('/api/reference/district'), getJSON('/api/reference/places')]);
  const config = await getJSON('/api/config');
  await startLanguages($('language-select'), config.languages, languageChanged);

  mapView.createMap($('map'), config);
  mapView.setTexts(mapTexts());
  setContrast(localStorage.getItem(PREFERENCES.contrast) === 'on');
  $('contrast').addEventListener('click', () => setContrast(!document.body.classList.contains('high-contrast')));
  $('list-only').addEventListener('click', () => setListOnly(!document.body.classList.contains('list-only')));
  $('sort-select').addEventListener('change', sortChanged);
  $('list-previous').addEventListener('click', () => loadList(Math.max(0, state.offset - PAGE)));
  $('list-next').addEventListener('click', () => loadList(state.offset + PAGE));
  mapView.onViewChange(refresh);
  $('mine-button').addEventListener('click', toggleMine);
  $('map').addEventListener('contribution:selected', (event) => markSelected(event.detail.id));
  const [district, places] = await reference;
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
