// What the planner workspace shares: the session, the consultations, the one being worked on.

import { language, t } from '../i18n.js';

export const state = { session: null, consultations: [], consultation: null };

/** A text given per language, in the page's language when there, else German. */
export function localText(texts) {
  return (texts && (texts[language()] || texts.de)) || '';
}

export function categoryOf(key) {
  const found = state.consultation?.categories.find((c) => c.key === key);
  return { key, label: found ? localText(found.label) : key, color: found?.color || '#595959' };
}

/** A path under the current consultation's planner API. */
export function consultationPath(suffix = '') {
  return `/api/planner/consultations/${encodeURIComponent(state.consultation.slug)}${suffix}`;
}

export const STATUS_KEYS = {
  pending: 'planner_status_pending',
  published: 'planner_status_published',
  rejected: 'planner_status_rejected',
  hidden: 'planner_status_hidden',
};

export const statusLabel = (status) => t(STATUS_KEYS[status] || status);
