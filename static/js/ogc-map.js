// The small map on the OGC API's HTML pages: the features the page names (its data-items
// link, JSON), drawn over the site's base map. Text of features never becomes markup here.

import { baseMap, fit } from './basemap.js';

const L = window.L;
const container = document.getElementById('ogc-map');

async function show() {
  const config = await (await fetch('/api/config')).json();
  const map = baseMap(container, config);
  const answer = await fetch(container.dataset.items, { headers: { Accept: 'application/geo+json' } });
  if (!answer.ok) return;
  const layer = L.geoJSON(await answer.json(), {
    interactive: false,
    // Areas lightly filled, so that the pins inside them stay visible.
    style: (feature) => ({ color: '#0b57d0', weight: feature.geometry.type === 'Point' ? 1 : 2, fillOpacity: feature.geometry.type === 'Point' ? 0.7 : 0.1 }),
    pointToLayer: (_feature, latlng) => L.circleMarker(latlng, {
      radius: 5, color: '#0b57d0', weight: 1, fillColor: '#0b57d0', fillOpacity: 0.7,
    }),
  }).addTo(map);
  if (layer.getLayers().length) fit(map, layer, 20);
}

if (container) show();
