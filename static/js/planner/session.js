// Signing in and out. The cookie is HttpOnly; the CSRF token lives only in this page's memory.

import { deleteJSON, getJSON, postJSON, setCsrfToken } from '../api.js';
import { clearError, showError } from './feedback.js';
import { state } from './state.js';

const $ = (id) => document.getElementById(id);
// Remembered so a fresh visit does not ask the server (and log a 401) when no one signed in.
const SIGNED_IN_KEY = 'geoapp.planner.signedIn';

function remember(session) {
  state.session = session;
  setCsrfToken(session?.csrf_token || null);
  if (session) localStorage.setItem(SIGNED_IN_KEY, '1');
  else localStorage.removeItem(SIGNED_IN_KEY);
}

/** The session this browser still has, or null. */
export async function currentSession() {
  if (!localStorage.getItem(SIGNED_IN_KEY)) return null;
  try {
    remember(await getJSON('/api/planner/session'));
  } catch (error) {
    remember(null);
  }
  return state.session;
}

/** Wire the sign-in form; `onSignedIn` runs after a successful sign-in. */
export function setupSignIn(onSignedIn) {
  const form = $('signin-form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError($('signin-error'));
    const body = { username: $('signin-username').value, password: $('signin-password').value };
    try {
      remember(await postJSON('/api/planner/session', body));
    } catch (error) {
      showError($('signin-error'), error);
      $('signin-password').focus();
      return;
    }
    form.reset();
    onSignedIn();
  });
}

export async function signOut() {
  try {
    await deleteJSON('/api/planner/session');
  } finally {
    remember(null);
  }
}

/** End this planner's sessions on every device, this one included. */
export async function signOutEverywhere() {
  try {
    await deleteJSON('/api/planner/sessions');
  } finally {
    remember(null);
  }
}

/** The server ended the session (expired, password changed): forget it here too. */
export function forgetSession() {
  remember(null);
}
