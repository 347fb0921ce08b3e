// The only module that talks to Leaflet (window.L). Others call these functions and listen to
// app events; content for popups and tooltips arrives as DOM elements, never as HTML strings.

import { el } from './dom.js';

const L = window.L;
let map;
let pins;
let perimeterLayer;
let draftMarker = null;
let placing = null;
const markersById = new Map();
const ownPending = [];

/** Create the map in `container` with the server's tile settings. */
export function createMap(container, config) {
  // People who asked their system for less motion get a map that jumps instead of gliding.
  const calm = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  map = L.map(container, {
    zoomControl: true, keyboard: true, zoomAnimation: !calm, fadeAnimation: !calm, markerZoomAnimation: !calm,
  }).setView(config.center, config.zoom);
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  pins = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, animate: !calm });
  map.addLayer(pins);
  map.on('click', (event) => {
    if (placing) placeDraft(event.latlng);
  });
  return map;
}

/** District outline and named places: they orient people when no base map loads. */
export function showReference(district, places, placeName) {
  L.geoJSON(district, {
    interactive: false,
    style: { color: '#555', weight: 2, dashArray: '6 6', fill: false },
  }).addTo(map);
  L.geoJSON(places, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      radius: 5, color: '#333', weight: 1, fillColor: '#fff', fillOpacity: 1, interactive: false,
    }).bindTooltip(el('span', {}, placeName(feature)), { permanent: true, direction: 'right', className: 'place-label' }),
  }).addTo(map);
}

/** Outline the consultation's perimeter and bring it into view. */
export function showPerimeter(geometry) {
  if (perimeterLayer) perimeterLayer.remove();
  perimeterLayer = L.geoJSON(geometry, {
    interactive: false,
    style: { color: '#0b57d0', weight: 3, fillColor: '#0b57d0', fillOpacity: 0.06 },
  }).addTo(map);
  map.fitBounds(perimeterLayer.getBounds(), { padding: [20, 20] });
}

function icon(style, extraClass = '') {
  const badge = el('span', { className: `pin-badge ${extraClass}`, style: { background: style.color } }, style.letter);
  return L.divIcon({ html: badge, className: 'pin-icon', iconSize: [34, 34], iconAnchor: [17, 17], popupAnchor: [0, -16] });
}

/**
 * Show a FeatureCollection of pins. `describe(feature)` gives {style: {color, letter}, label,
 * popup: Element}; label is the marker's accessible name.
 */
export function showPins(collection, describe) {
  pins.clearLayers();
  markersById.clear();
  for (const feature of collection.features) {
    if (!feature.geometry) continue;
    const [lon, lat] = feature.geometry.coordinates;
    const { style, label, popup } = describe(feature);
    const marker = L.marker([lat, lon], { icon: icon(style), title: label, alt: label, keyboard: true });
    marker.bindPopup(popup, { maxWidth: 320 });
    markersById.set(String(feature.id), marker);
    pins.addLayer(marker);
  }
  for (const marker of ownPending) pins.addLayer(marker);
}

/** Zoom to a pin (out of its cluster) and open its popup. */
export function openPin(id) {
  const marker = markersById.get(String(id));
  if (!marker) return;
  pins.zoomToShowLayer(marker, () => marker.openPopup());
}

/** Show the author's own pin that waits for moderation; it stays for this page visit. */
export function addPendingPin(lon, lat, style, label, popup) {
  const marker = L.marker([lat, lon], { icon: icon(style, 'pending'), title: label, alt: label });
  marker.bindPopup(popup, { maxWidth: 320 });
  ownPending.push(marker);
  pins.addLayer(marker);
  return marker;
}

function placeDraft(latlng) {
  if (!draftMarker) {
    draftMarker = L.marker(latlng, { draggable: true, autoPan: true, keyboard: false, title: placing.label, alt: placing.label });
    draftMarker.on('dragend', () => report());
    draftMarker.addTo(map);
  } else {
    draftMarker.setLatLng(latlng);
  }
  report();
}

function report() {
  const { lat, lng } = draftMarker.getLatLng();
  placing.onPlaced(Number(lng.toFixed(7)), Number(lat.toFixed(7)));
}

/** Let the next click/tap on the map set a draggable pin; `onPlaced(lon, lat)` on each move. */
export function startPlacing(label, onPlaced) {
  placing = { label, onPlaced };
  map.getContainer().classList.add('placing');
}

/** End placement mode and remove the draft pin. */
export function stopPlacing() {
  placing = null;
  map.getContainer().classList.remove('placing');
  if (draftMarker) {
    draftMarker.remove();
    draftMarker = null;
  }
}
