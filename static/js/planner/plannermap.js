// The planner pages' only Leaflet module: the queue's small map, the entry map, perimeter
// drawing (leaflet-draw) and the themes map, each on the shared base map. Texts arrive as strings or DOM elements,
// never as HTML strings.

import { baseMap, fit, outline } from '../basemap.js';
import { el } from '../dom.js';

const L = window.L;
let config = null;

/** The server's tile settings, used by every map this module makes. */
export function configure(mapConfig) {
  config = mapConfig;
}

function dot(color) {
  const badge = document.createElement('div');
  badge.className = 'planner-dot';
  badge.style.background = color;
  return L.divIcon({ html: badge, className: 'planner-dot-icon', iconSize: [22, 22] });
}

const outlineStyle = { color: '#0b57d0', weight: 2, fill: false };

/** A small map that shows pins and the perimeter, and can centre on one pin. */
export function pinMap(container) {
  const map = baseMap(container, config);
  const perimeter = outline(map, outlineStyle, 10);
  const layer = L.layerGroup().addTo(map);
  const markers = new Map();
  return {
    showPerimeter: perimeter.show,
    showPins(pins) {
      layer.clearLayers();
      markers.clear();
      for (const pin of pins) {
        if (!pin.geometry) continue;
        const [lon, lat] = pin.geometry.coordinates;
        const marker = L.marker([lat, lon], { icon: dot(pin.color), keyboard: false, title: pin.label });
        marker.addTo(layer);
        markers.set(pin.id, marker);
      }
    },
    focusPin(id) {
      const marker = markers.get(id);
      if (!marker) return false;
      map.invalidateSize();
      map.setView(marker.getLatLng(), Math.max(map.getZoom(), 17));
      for (const [other, m] of markers) m.getElement()?.classList.toggle('selected', other === id);
      return true;
    },
    resize: () => map.invalidateSize(),
  };
}

/** A map where a click sets one point; `onPick` gets [lon, lat]. */
export function pointPicker(container, onPick) {
  const map = baseMap(container, config);
  const perimeter = outline(map, outlineStyle, 10);
  let marker = null;
  const place = (lon, lat) => {
    if (marker) marker.setLatLng([lat, lon]);
    else marker = L.marker([lat, lon], { icon: dot('#b3261e'), keyboard: false }).addTo(map);
  };
  map.on('click', (event) => {
    place(event.latlng.lng, event.latlng.lat);
    onPick([event.latlng.lng, event.latlng.lat]);
  });
  return {
    place,
    showPerimeter: perimeter.show,
    resize: () => map.invalidateSize(),
  };
}

/** Tooltips leaflet-draw shows while a polygon is drawn, in the page's language. */
export function setDrawTexts(texts) {
  const tooltip = L.drawLocal.draw.handlers.polygon.tooltip;
  tooltip.start = texts.start;
  tooltip.cont = texts.cont;
  tooltip.end = texts.end;
  L.drawLocal.draw.handlers.polyline.error = texts.error;
}

/** A map to draw a perimeter on: shows the current one, `draw()` starts a new polygon. */
export function perimeterDrawer(container, onDrawn) {
  const map = baseMap(container, config);
  const shapes = L.featureGroup().addTo(map);
  const handler = new L.Draw.Polygon(map, { allowIntersection: false, showArea: false });
  map.on(L.Draw.Event.CREATED, (event) => {
    shapes.clearLayers();
    shapes.addLayer(event.layer);
    onDrawn(event.layer.toGeoJSON().geometry);
  });
  return {
    show(geometry) {
      shapes.clearLayers();
      if (!geometry) return;
      L.geoJSON(geometry, { style: { color: '#0b57d0', weight: 3 } }).eachLayer((layer) => shapes.addLayer(layer));
      fit(map, shapes, 10);
    },
    draw: () => handler.enable(),
    cancel: () => handler.disable(),
    resize: () => map.invalidateSize(),
  };
}

/** Tooltips leaflet-draw shows while a rectangle is drawn, in the page's language. */
export function setRectangleTexts(texts) {
  L.drawLocal.draw.handlers.rectangle.tooltip.start = texts.start;
  L.drawLocal.draw.handlers.simpleshape.tooltip.end = texts.end;
}

/**
 * The analysis view's map: where each group of similar pins is (one colour per group), and an
 * area to narrow the themes to, drawn as a rectangle or polygon or taken from the current view.
 * `onArea(geometry)` gets the drawn area as a GeoJSON Polygon.
 */
export function themeMap(container, onArea) {
  const map = baseMap(container, config);
  const perimeter = outline(map, outlineStyle, 10);
  const groups = L.layerGroup().addTo(map);
  const area = L.featureGroup().addTo(map);
  const shape = { color: '#1a1a1a', weight: 2, dashArray: '6 4', fillOpacity: 0.05 };
  const rectangle = new L.Draw.Rectangle(map, { shapeOptions: shape, showArea: false });
  const polygon = new L.Draw.Polygon(map, { allowIntersection: false, showArea: false, shapeOptions: shape });
  const showArea = (geometry) => {
    area.clearLayers();
    if (geometry) L.geoJSON(geometry, { interactive: false, style: shape }).eachLayer((layer) => area.addLayer(layer));
  };
  map.on(L.Draw.Event.CREATED, (event) => {
    const geometry = event.layer.toGeoJSON().geometry;
    showArea(geometry);
    onArea(geometry);
  });
  return {
    showPerimeter: perimeter.show,
    showArea,
    /** `entries`: [{ color, label, pins: [{ lon, lat }] }], one per group. */
    showGroups(entries) {
      groups.clearLayers();
      for (const entry of entries) {
        for (const pin of entry.pins) {
          if (pin.lat === null) continue;
          L.circleMarker([pin.lat, pin.lon], {
            radius: 7, color: '#ffffff', weight: 1, fillColor: entry.color, fillOpacity: 0.9, keyboard: false,
          }).bindTooltip(el('span', {}, entry.label)).addTo(groups);
        }
      }
    },
    drawRectangle: () => { polygon.disable(); rectangle.enable(); },
    drawPolygon: () => { rectangle.disable(); polygon.enable(); },
    /** The map's current view as a Polygon: the area without drawing (keyboard, screen reader). */
    viewArea() {
      map.invalidateSize();
      const b = map.getBounds();
      const [w, s, e, n] = [Math.max(b.getWest(), -180), Math.max(b.getSouth(), -90), Math.min(b.getEast(), 180), Math.min(b.getNorth(), 90)];
      return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
    },
    resize: () => map.invalidateSize(),
  };
}
