// The resident map, built on the shared base map (basemap.js); the resident page's other modules
// never touch Leaflet (window.L): they call these functions and listen to app events; content for popups and tooltips arrives as DOM elements, never as HTML strings.

import { baseMap, outline, prefersCalm, showReference as showReferenceOn } from './basemap.js';
import { el } from './dom.js';
import { bboxParam, debounce } from './viewport.js';

const L = window.L;
const MAX_ZOOM = 19;
// A drag or a zoom fires several moves; the server is asked once the map has come to rest.
const CALM_MS = 250;
// keepInView() pans for our popups, at once.
const POPUP = { maxWidth: 320, autoPan: false };
let map;
let pins;
let clusters;
let onView = null;
let lastView = null;
let popupOpen = false;
let movingToPin = false;
let zoomControl;
let perimeter;
let draftMarker = null;
let placing = null;
let returnFocusTo = null;
let popupTakesFocus = true;
const markersById = new Map();
const ownPending = [];
let texts = {
  zoomIn: 'Zoom in', zoomOut: 'Zoom out', close: 'Close', cluster: (count) => String(count),
};

/** Create the map in `container` with the server's tile settings. */
export function createMap(container, config) {
  const calm = prefersCalm();
  map = baseMap(container, config, { zoomControl: false, keyboard: true });
  pins = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    animate: !calm,
    iconCreateFunction: clusterIcon,
  });
  map.addLayer(pins);
  clusters = L.layerGroup().addTo(map);
  map.on('moveend', debounce(viewMoved, CALM_MS));
  perimeter = outline(map, { color: '#0b57d0', weight: 3, fillColor: '#0b57d0', fillOpacity: 0.06 }, 20);
  map.on('click', (event) => {
    if (placing) placeDraft(event.latlng);
  });
  // Keyboard: Enter on a focused cluster opens it, like a click does.
  pins.on('clusterkeypress', (event) => {
    if (event.originalEvent.key === 'Enter') event.layer.zoomToBounds({ padding: [20, 20] });
  });
  // Enter on the focused map places the pin under the centre cross (keyboard placing).
  container.addEventListener('keydown', (event) => {
    if (placing && event.key === 'Enter' && event.target === container) {
      event.preventDefault();
      placeDraft(map.getCenter());
    }
  });
  map.on('popupopen', onPopupOpen);
  map.on('popupclose', onPopupClose);
  setTexts(texts);
  return map;
}

/** Texts Leaflet shows itself (control titles, popup close), in the page's language. */
export function setTexts(newTexts) {
  texts = newTexts;
  if (!map) return;
  if (zoomControl) zoomControl.remove();
  zoomControl = L.control.zoom({ zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut }).addTo(map);
  pins.refreshClusters();
}

/** Give a marker its accessible name whenever its element is (re)created on the map. */
function named(marker, label) {
  marker.on('add', () => marker.getElement()?.setAttribute('aria-label', label));
  return marker;
}

function clusterIcon(cluster) {
  const count = cluster.getChildCount();
  const size = count < 10 ? 'small' : count < 50 ? 'medium' : 'large';
  const badge = el('div', { 'aria-hidden': 'true' }, el('span', {}, String(count)));
  const icon = L.divIcon({ html: badge, className: `marker-cluster marker-cluster-${size}`, iconSize: [44, 44] });
  cluster.options.title = texts.cluster(count);
  if (!cluster.listens('add')) cluster.on('add', () => cluster.getElement()?.setAttribute('aria-label', cluster.options.title));
  return icon;
}

function viewShown() {
  const b = map.getBounds();
  return { bbox: bboxParam(b.getWest(), b.getSouth(), b.getEast(), b.getNorth()), zoom: map.getZoom() };
}

/** The view the map shows: its bbox (rounded outwards, as the server is asked) and zoom. */
export function currentView() {
  lastView = viewShown();
  return lastView;
}

/**
 * Call `callback(view)` whenever the visitor has moved the map to another view. Moves the page
 * makes itself to show a pin, and moves while a pin is open (its popup pans the map into
 * view), do not count: what the visitor reads stays put; closing the pin catches up.
 */
export function onViewChange(callback) {
  onView = callback;
}

function viewMoved() {
  if (!onView || popupOpen || movingToPin) return;
  const view = viewShown();
  if (lastView && view.bbox === lastView.bbox && view.zoom === lastView.zoom) return;
  lastView = view;
  onView(view);
}

function onPopupOpen(event) {
  popupOpen = true;
  const content = event.popup.getElement();
  const close = content.querySelector('.leaflet-popup-close-button');
  if (close) close.setAttribute('aria-label', texts.close);
  // Leaflet closes on Escape only while the map itself has the focus, not the popup.
  content.addEventListener('keydown', (key) => {
    if (key.key === 'Escape') map.closePopup();
  });
  // Keyboard and list users continue inside the popup; focus returns where they came from.
  const active = document.activeElement;
  if (popupTakesFocus && active && active !== document.body && !map.getContainer().isSameNode(active)) {
    returnFocusTo = active;
    const body = content.querySelector('.leaflet-popup-content > *');
    if (body) {
      body.setAttribute('tabindex', '-1');
      body.focus({ preventScroll: true });
    }
  }
  keepInView(event.popup);
}

function onPopupClose(event) {
  popupOpen = false;
  setTimeout(viewMoved, 0);
  const content = event.popup.getElement();
  const active = document.activeElement;
  // Escape or the close button leave the focus in the removed popup (or on <body>).
  const lost = !active || active === document.body || (content && content.contains(active));
  if (returnFocusTo && lost) {
    const target = returnFocusTo;
    returnFocusTo = null;
    if (document.contains(target)) target.focus();
  }
}

/** Re-measure an open popup after its content grew; Leaflet re-attaches the content, so the
 * focus (a keyboard user reading or typing in it) is put back where it was. */
function refreshPopup(leafletPopup, content) {
  const active = document.activeElement;
  leafletPopup.update();
  if (active && active !== document.activeElement && content.contains(active)) active.focus({ preventScroll: true });
  keepInView(leafletPopup);
}

/**
 * Pan the map at once so that the whole popup is in view, its top first when it is taller than
 * the map. Our popups never glide (Leaflet's own autoPan is off for them): a popup still moving
 * when its content grows, or moving under the pointer of someone about to press its buttons,
 * loses their click.
 */
function keepInView(leafletPopup) {
  const element = leafletPopup.getElement();
  if (!element || !leafletPopup.isOpen()) return;
  const box = map.getContainer().getBoundingClientRect();
  const popupBox = element.getBoundingClientRect();
  const margin = 10;
  let dx = Math.max(0, popupBox.right + margin - box.right);
  dx = Math.min(dx, popupBox.left - margin - box.left);
  let dy = Math.max(0, popupBox.bottom + margin - box.bottom);
  dy = Math.min(dy, popupBox.top - margin - box.top);
  if (dx || dy) map.panBy([dx, dy], { animate: false });
}

/** District outline and named places: they orient people when no base map loads. */
export function showReference(district, places, placeName) {
  showReferenceOn(map, district, places, placeName);
}

/** Outline the consultation's perimeter and bring it into view. */
export function showPerimeter(geometry) {
  perimeter.show(geometry);
}

function icon(style, extraClass = '') {
  // The letter repeats the colour for people who cannot tell colours apart; screen readers get
  // the marker's full name from aria-label instead.
  const badge = el('span', { className: `pin-badge ${extraClass}`, style: { background: style.color }, 'aria-hidden': 'true' }, style.letter);
  return L.divIcon({ html: badge, className: 'pin-icon', iconSize: [44, 44], iconAnchor: [22, 22], popupAnchor: [0, -18] });
}

/**
 * Show a FeatureCollection of pins. `describe(feature)` gives {style: {color, letter}, label,
 * popup: Element, onOpen?(popup, refresh)}; label is the marker's accessible name, onOpen runs
 * each time the popup opens (refresh() re-measures it). Features without geometry are skipped.
 * Pins already on the map stay as they are (an open pin stays open, a focused one focused);
 * clearPins() starts afresh.
 */
export function showPins(collection, describe) {
  clusters.clearLayers();
  const wanted = new Set();
  const added = [];
  for (const feature of collection.features) {
    if (!feature.geometry) continue;
    const id = String(feature.id);
    wanted.add(id);
    if (markersById.has(id)) continue;
    const [lon, lat] = feature.geometry.coordinates;
    const { style, label, popup, onOpen } = describe(feature);
    const marker = named(L.marker([lat, lon], { icon: icon(style), title: label, keyboard: true }), label);
    marker.bindPopup(popup, POPUP);
    marker.on('popupopen', () => {
      map.getContainer().dispatchEvent(new CustomEvent('contribution:selected', { bubbles: true, detail: { id } }));
      if (onOpen) onOpen(popup, () => refreshPopup(marker.getPopup(), popup));
    });
    markersById.set(id, marker);
    added.push(marker);
  }
  const gone = [];
  for (const [id, marker] of markersById) {
    if (!wanted.has(id)) {
      gone.push(marker);
      markersById.delete(id);
    }
  }
  pins.removeLayers(gone);
  pins.addLayers(added);
  for (const marker of ownPending) if (!pins.hasLayer(marker)) pins.addLayer(marker);
}

/** Remove every pin and cluster (another consultation, another language). */
export function clearPins() {
  pins.clearLayers();
  markersById.clear();
  clusters.clearLayers();
}

/**
 * Show the server's clusters (a FeatureCollection of counts per cell) instead of pins.
 * `label(properties)` is a cluster's accessible name; Enter or a click zooms into it.
 */
export function showClusters(collection, label) {
  pins.clearLayers();
  markersById.clear();
  for (const marker of ownPending) pins.addLayer(marker);
  clusters.clearLayers();
  for (const feature of collection.features) {
    const [lon, lat] = feature.geometry.coordinates;
    const { count } = feature.properties;
    const size = count < 10 ? 'small' : count < 100 ? 'medium' : 'large';
    const badge = el('div', { 'aria-hidden': 'true' }, el('span', {}, String(count)));
    const name = label(feature.properties);
    const marker = named(L.marker([lat, lon], {
      icon: L.divIcon({ html: badge, className: `marker-cluster marker-cluster-${size}`, iconSize: [44, 44] }),
      title: name,
      keyboard: true,
    }), name);
    marker.on('click', () => zoomInto(feature));
    marker.on('keypress', (event) => {
      if (event.originalEvent.key === 'Enter') zoomInto(feature);
    });
    clusters.addLayer(marker);
  }
}

function zoomInto(feature) {
  const [west, south, east, north] = feature.bbox;
  const bounds = L.latLngBounds([south, west], [north, east]);
  const fitting = map.getBoundsZoom(bounds, false, L.point(40, 40));
  map.setView(bounds.getCenter(), Math.min(MAX_ZOOM, Math.max(map.getZoom() + 1, fitting)));
  // The cluster is redrawn as smaller clusters or pins: keyboard users go on from the map.
  map.getContainer().focus({ preventScroll: true });
}

/** Whether contribution `id` has a pin on the map. */
export function hasPin(id) {
  return markersById.has(String(id));
}

/** Zoom to a pin (out of its cluster) and open its popup; `takeFocus: false` leaves the focus
 * where it is (the thank-you message after sending). */
export function openPin(id, { takeFocus = true } = {}) {
  const marker = markersById.get(String(id));
  if (!marker) return;
  movingToPin = true;
  pins.zoomToShowLayer(marker, () => {
    // popupopen fires inside openPopup(), so the flag holds for exactly this opening.
    popupTakesFocus = takeFocus;
    marker.openPopup();
    popupTakesFocus = true;
    movingToPin = false;
  });
}

/** Show the author's own pin that waits for moderation; it stays for this page visit. */
export function addPendingPin(lon, lat, style, label, popup) {
  const marker = named(L.marker([lat, lon], { icon: icon(style, 'pending'), title: label }), label);
  marker.bindPopup(popup, POPUP);
  ownPending.push(marker);
  pins.addLayer(marker);
  return marker;
}

function moveDraft(latlng) {
  if (!draftMarker) {
    draftMarker = L.marker(latlng, { draggable: true, autoPan: true, keyboard: false, title: placing.label });
    draftMarker.on('dragend', () => report('map'));
    draftMarker.addTo(map);
  } else {
    draftMarker.setLatLng(latlng);
  }
}

function placeDraft(latlng) {
  moveDraft(latlng);
  report('map');
}

function report(how) {
  const { lat, lng } = draftMarker.getLatLng();
  placing.onPlaced(Number(lng.toFixed(7)), Number(lat.toFixed(7)), how);
}

/** Let the next click/tap (or Enter on the map) set a draggable pin; `onPlaced(lon, lat, how)`. */
export function startPlacing(label, onPlaced) {
  placing = { label, onPlaced };
  map.getContainer().classList.add('placing');
  document.getElementById('crosshair').hidden = false;
}

/** Put the draft pin at the map's centre cross. */
export function placeAtCentre() {
  if (placing) placeDraft(map.getCenter());
}

/** Put the draft pin at (lon, lat) chosen from a list, and show it. */
export function placeAt(lon, lat) {
  if (!placing) return;
  const latlng = L.latLng(lat, lon);
  map.setView(latlng, Math.max(map.getZoom(), 16));
  moveDraft(latlng);
}

/** Remove the draft pin but stay in placement mode ("ohne Ort" chosen). */
export function clearDraft() {
  if (draftMarker) {
    draftMarker.remove();
    draftMarker = null;
  }
}

/** End placement mode and remove the draft pin. */
export function stopPlacing() {
  placing = null;
  map.getContainer().classList.remove('placing');
  document.getElementById('crosshair').hidden = true;
  clearDraft();
}

/** Tell Leaflet the map's box changed size (it was hidden or resized). */
export function resize() {
  map.invalidateSize();
}
