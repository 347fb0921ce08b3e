// "Someone already said this nearby": while a resident writes, up to three published pins of the
// chosen topic close to the chosen point, each with a real button to support it instead.

import { getJSON, postJSON, refusalText } from './api.js';
import { announce, el } from './dom.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);
let asked = '';
let timer = null;

function clear() {
  asked = '';
  $('nearby').hidden = true;
  $('nearby-list').replaceChildren();
  $('nearby-status').textContent = '';
}

function supportButton(pin) {
  const button = el('button', { type: 'button', className: 'button support' }, t('nearby_support'));
  button.setAttribute('aria-describedby', `nearby-text-${pin.id}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const state = await postJSON(`/api/contributions/${encodeURIComponent(pin.id)}/supports`);
      const count = $(`nearby-count-${pin.id}`);
      count.textContent = t('nearby_supports', { count: state.support_count });
      button.textContent = t('nearby_supported');
      button.setAttribute('aria-pressed', 'true');
      announce(t('nearby_thanks'));
    } catch (error) {
      button.disabled = false;
      announce(refusalText(error));
    }
  });
  return button;
}

function item(pin) {
  return el('li', { className: 'nearby-item', 'data-id': pin.id },
    el('p', { className: 'nearby-text', id: `nearby-text-${pin.id}` }, pin.text),
    el('p', { className: 'pin-meta' },
      el('span', { id: `nearby-count-${pin.id}` }, t('nearby_supports', { count: pin.support_count })),
      ' · ', t('nearby_distance', { distance: pin.distance_m })),
    supportButton(pin));
}

async function look(slug, category, lon, lat) {
  const key = `${slug}|${category}|${lon}|${lat}`;
  if (key === asked) return;
  asked = key;
  const params = new URLSearchParams({ lon, lat, category });
  const pins = await getJSON(`/api/consultations/${encodeURIComponent(slug)}/nearby?${params}`).catch(() => []);
  if (asked !== key) return;
  $('nearby-list').replaceChildren(...pins.map(item));
  $('nearby').hidden = !pins.length;
  // Said once per new answer, so a screen reader hears it without leaving the text field.
  $('nearby-status').textContent = pins.length ? t('nearby_count', { count: pins.length }) : '';
}

/** Show what was said near `geometry` on `category`; nothing without both. */
export function updateNearby(slug, category, geometry) {
  clearTimeout(timer);
  if (!slug || !category || !geometry) {
    clear();
    return;
  }
  const [lon, lat] = geometry.coordinates;
  timer = setTimeout(() => look(slug, category, lon, lat), 300);
}

/** Hide the suggestions (form closed or sent). */
export function resetNearby() {
  clearTimeout(timer);
  clear();
}
