// Where a pin is, in words: at the nearest named place, or how far and which way from it.

import { getJSON } from './api.js';
import { placeLabel, t } from './i18n.js';

const COMPASS = ['north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest'];

/** The sentence that says where (lon, lat) is; without an answer from the server, that it is set. */
export async function describeSpot(lon, lat) {
  const near = await getJSON(`/api/reference/nearest?lon=${lon}&lat=${lat}`).catch(() => null);
  if (!near) return t('location_set');
  const name = placeLabel(near);
  if (near.distance_m < 30) return t('location_at', { place: name });
  const direction = t(`dir_${COMPASS[Math.round(near.bearing / 45) % 8]}`);
  return t('location_near', { distance: Math.round(near.distance_m / 10) * 10, direction, place: name });
}
