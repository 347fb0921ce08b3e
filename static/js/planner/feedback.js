// Telling the planner what happened: refusals next to the form, successes to the live region.

import { ProblemError, refusalText } from '../api.js';
import { announce } from '../dom.js';
import { t } from '../i18n.js';

export const SESSION_ENDED = 'planner:session-ended';

/** The words of a refusal: the server's detail, or that the network is down. */
export function problemText(error) {
  if (error instanceof ProblemError) return refusalText(error, 'planner_offline');
  return error?.message || t('planner_failed');
}

/** Say why something failed; an ended session is handed to the page, which asks to sign in. */
export function reportFailure(error) {
  if (error?.status === 401) document.dispatchEvent(new CustomEvent(SESSION_ENDED, { detail: error }));
  else announce(problemText(error));
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
