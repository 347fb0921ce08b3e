// Telling the planner what happened: refusals next to the form, successes to the live region.

import { t } from '../i18n.js';

/** The words of a refusal: the server's detail, or that the network is down. */
export function problemText(error) {
  if (error?.problem?.offline) return t('planner_offline');
  return error?.message || t('planner_failed');
}

export function showError(element, error) {
  element.textContent = problemText(error);
  element.hidden = false;
}

export function clearError(element) {
  element.textContent = '';
  element.hidden = true;
}

/** Run `work` with `button` disabled, so a double click sends nothing twice. */
export async function busy(button, work) {
  button.disabled = true;
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}
