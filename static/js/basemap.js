// The base map every Leaflet map of the site starts from: the server's tiles and attribution,
// motion as the visitor asked for, the district outline and places for when no tiles load, and
// a consultation's perimeter. The 44 px zoom buttons come from app.css, which both pages load.

import { el } from './dom.js';

const L = window.L;

/**
 * A Leaflet map in `container`, centred as the server's `config` says, with its tile layer.
 * `options` go to L.map (e.g. `zoomControl: false` where the page adds its own, titled one).
 */
export function baseMap(container, config, options = {}) {
  const calm = prefersCalm();
  const map = L.map(container, { zoomAnimation: !calm, fadeAnimation: !calm, markerZoomAnimation: !calm, ...options })
    .setView(config.center, config.zoom);
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  return map;
}

/** People who asked their system for less motion get maps that jump instead of gliding. */
export function prefersCalm() {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** District outline and named places: they orient people when no base map loads. */
export function showReference(map, district, places, placeName) {
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

/**
 * An outline on `map` in `style`; `show(geometry)` replaces it and zooms to it (after the map
 * measured itself: it may have been made while hidden), `show(null)` removes it.
 */
export function outline(map, style, padding) {
  let layer = null;
  return {
    show(geometry) {
      if (layer) layer.remove();
      layer = geometry ? L.geoJSON(geometry, { interactive: false, style }).addTo(map) : null;
      if (layer) fit(map, layer, padding);
    },
  };
}

/** Zoom to `layer` with `padding` pixels around it. */
export function fit(map, layer, padding) {
  map.invalidateSize();
  // No glide: the page asks the server for the view once the map shows it.
  map.fitBounds(layer.getBounds(), { padding: [padding, padding], animate: false });
}
