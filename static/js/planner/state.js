// What the planner workspace shares: the session, the consultations, the one being worked on.

import { localText } from '../i18n.js';

export const state = { session: null, consultations: [], consultation: null };

export function categoryOf(key) {
  const found = state.consultation?.categories.find((c) => c.key === key);
  return { key, label: found ? localText(found.label) : key, color: found?.color || '#595959' };
}

/** A path under the current consultation's planner API. */
export function consultationPath(suffix = '') {
  return `/api/planner/consultations/${encodeURIComponent(state.consultation.slug)}${suffix}`;
}
