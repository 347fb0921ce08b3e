// How a contribution looks: marker style, accessible name, popup and list entry (plain DOM).

import { el } from './dom.js';
import { formatDate, t } from './i18n.js';

let categories = new Map();

/** Remember the consultation's categories: each gets its colour and a letter (A, B, …). */
export function setCategories(list) {
  categories = new Map(list.map((category, index) => [
    category.key,
    { ...category, letter: String.fromCharCode(65 + index) },
  ]));
}

export function category(key) {
  return categories.get(key) || { key, label: key, color: '#555', letter: '?' };
}

export function allCategories() {
  return [...categories.values()];
}

function snippet(text, length = 80) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** The accessible name of a pin: category, start of the text, supports. A lean map pin
 * brings only the start of its text (`excerpt`, one character more than the name shows). */
export function pinLabel(properties) {
  const cat = category(properties.category);
  const text = properties.text ?? properties.excerpt;
  return t('pin_label', { category: cat.label, text: snippet(text), count: properties.support_count });
}

/** The accessible name of a cluster: how many contributions, and how many of each topic. */
export function clusterLabel(properties) {
  const topics = Object.entries(properties.categories)
    .map(([key, count]) => t('cluster_topic', { count, category: category(key).label }))
    // Topic names may hold commas themselves ("Sicherheit, Beleuchtung & Sauberkeit").
    .join(t('cluster_topic_separator'));
  return t('cluster_topics_label', { count: properties.count, topics });
}

/** The popup content of a pin, built from text only. */
export function popupContent(properties, pending = false) {
  const cat = category(properties.category);
  return el('article', { className: 'pin-popup' },
    el('p', { className: 'pin-category' },
      el('span', { className: 'swatch', style: { background: cat.color }, 'aria-hidden': 'true' }, cat.letter),
      ' ', cat.label),
    pending ? el('p', { className: 'pin-status' }, t('status_pending')) : null,
    el('p', { className: 'pin-text' }, properties.text),
    el('p', { className: 'pin-meta' },
      t('pin_meta', { name: properties.author_name || t('anonymous'), date: formatDate(properties.created_at) })),
    pending ? null : el('p', { className: 'pin-supports' }, t('supports', { count: properties.support_count })),
    pending ? null : el('div', { className: 'pin-detail' }),
  );
}

/** The popup of a lean map pin until its detail has arrived: its topic and the start of its text. */
export function leanPopup(properties) {
  const cat = category(properties.category);
  return el('article', { className: 'pin-popup' },
    el('p', { className: 'pin-category' },
      el('span', { className: 'swatch', style: { background: cat.color }, 'aria-hidden': 'true' }, cat.letter),
      ' ', cat.label),
    el('p', { className: 'pin-text' }, snippet(properties.excerpt ?? properties.text)),
    el('p', { className: 'pin-status' }, t('popup_loading')));
}

/** Style, accessible name and popup for map.showPins. */
export function describe(feature) {
  const cat = category(feature.properties.category);
  return {
    style: { color: cat.color, letter: cat.letter },
    label: pinLabel(feature.properties),
    // A lean map pin has only the start of its text until it is opened.
    popup: 'text' in feature.properties ? popupContent(feature.properties) : leanPopup(feature.properties),
  };
}

/** One entry of the contribution list; `onOpen(feature, entry)` shows its pin or its detail. */
export function listEntry(feature, onOpen) {
  const p = feature.properties;
  const cat = category(p.category);
  const entry = el('li', { className: 'list-entry', 'data-id': String(feature.id) });
  entry.append(
    el('button', { type: 'button', className: 'list-button', onclick: () => onOpen(feature, entry) },
      el('span', { className: 'swatch', style: { background: cat.color }, 'aria-hidden': 'true' }, cat.letter),
      el('span', { className: 'list-body' },
        el('span', { className: 'list-category' }, cat.label),
        el('span', { className: 'list-text' }, snippet(p.text, 140)),
        listMeta(feature))));
  return entry;
}

/** The small line under a list entry: who, when, supports, and "ohne Ort" where it applies. */
export function listMeta(feature) {
  const p = feature.properties;
  return el('span', { className: 'list-meta' },
    t('pin_meta', { name: p.author_name || t('anonymous'), date: formatDate(p.created_at) }),
    ' · ', t('supports', { count: p.support_count }),
    feature.geometry ? null : ` · ${t('without_place')}`);
}
