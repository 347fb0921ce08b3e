// Where a contribution is: a click on the map, the centre cross (keyboard), a place or street
// from the list, or "ohne Ort". Says in words where the pin now is.

import { getJSON } from './api.js';
import { announce, el } from './dom.js';
import { placeLabel, t } from './i18n.js';
import * as mapView from './map.js';
import { describeSpot } from './spot.js';

const $ = (id) => document.getElementById(id);
let choices = [];
let place = { geometry: null, withoutLocation: false };
let onChange = () => {};

function setStatus(message) {
  $('location-status').textContent = message;
  announce(message);
}

function set(geometry, withoutLocation = false) {
  place = { geometry, withoutLocation };
  onChange(place);
}

async function placedOnMap(lon, lat) {
  set({ type: 'Point', coordinates: [lon, lat] });
  $('place-select').value = '';
  setStatus(await describeSpot(lon, lat));
}

function chooseFromList() {
  const choice = choices.find((c) => c.id === $('place-select').value);
  if (!choice || !choice.inside) return;
  const [lon, lat] = choice.geometry.coordinates;
  mapView.placeAt(lon, lat);
  set(choice.geometry);
  setStatus(choice.fallback ? t('location_fallback', { place: placeLabel(choice) }) : t('location_chosen', { place: placeLabel(choice) }));
}

function renderChoices() {
  const query = $('place-search').value.trim().toLowerCase();
  const matches = choices.filter((c) => !query || placeLabel(c).toLowerCase().includes(query));
  const option = (c) => el('option', { value: c.id, disabled: !c.inside },
    c.inside ? placeLabel(c) : `${placeLabel(c)} ${t('outside_suffix')}`);
  const groups = [['place', t('group_places')], ['street', t('group_streets')]]
    .map(([kind, title]) => [title, matches.filter((c) => c.kind === kind)])
    .filter(([, items]) => items.length)
    .map(([title, items]) => el('optgroup', { label: title }, ...items.map(option)));
  $('place-select').replaceChildren(...groups);
  $('place-search').setAttribute('aria-description', t('matches', { count: matches.length }));
}

function toggleWithoutLocation() {
  const without = $('field-without-location').checked;
  for (const id of ['use-centre', 'place-search', 'place-select']) $(id).disabled = without;
  if (without) {
    mapView.clearDraft();
    set(null, true);
    setStatus(t('location_none'));
  } else {
    set(null, false);
    setStatus(t('location_missing'));
  }
}

/** Wire the chooser once; `changed(place)` runs whenever the place changes. */
export function setupPlaces(changed) {
  onChange = changed;
  $('use-centre').addEventListener('click', () => mapView.placeAtCentre());
  $('place-search').addEventListener('input', renderChoices);
  $('place-select').addEventListener('change', chooseFromList);
  $('field-without-location').addEventListener('change', toggleWithoutLocation);
}

/** Start choosing a place for `consultation`: placement mode on, the list loaded. */
export async function startChoosing(consultation) {
  place = { geometry: null, withoutLocation: false };
  $('field-without-location').checked = false;
  $('place-search').value = '';
  for (const id of ['use-centre', 'place-search', 'place-select']) $(id).disabled = false;
  $('location-status').textContent = t('location_missing');
  mapView.startPlacing(t('draft_pin'), placedOnMap);
  choices = await getJSON(`/api/consultations/${encodeURIComponent(consultation.slug)}/places`);
  renderChoices();
}

/** Put the pin at (lon, lat) a link asked for (a poster's QR code), as if placed on the map. */
export async function placeAtPoint(lon, lat) {
  mapView.placeAt(lon, lat);
  set({ type: 'Point', coordinates: [lon, lat] });
  setStatus(await describeSpot(lon, lat));
}

export function currentPlace() {
  return place;
}
