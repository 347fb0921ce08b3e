// The planner workspace: sign-in, the consultation being worked on, and the five views.

import { getJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { localText, startLanguages, t } from '../i18n.js';
import * as consultationView from './consultations.js';
import * as entries from './imports.js';
import * as exportsView from './exports.js';
import * as plannerMap from './plannermap.js';
import * as queue from './queue.js';
import { SESSION_ENDED, reportFailure, showError } from './feedback.js';
import { currentSession, forgetSession, setupSignIn, signOut, signOutEverywhere } from './session.js';
import { state } from './state.js';
import * as statistics from './statistics.js';

const $ = (id) => document.getElementById(id);
const VIEWS = { queue, consultation: consultationView, entries, statistics, exports: exportsView };
let currentView = 'queue';

async function loadConsultations(wanted) {
  state.consultations = await getJSON('/api/planner/consultations');
  const select = $('consultation-select');
  select.replaceChildren(...state.consultations.map((c) => el('option', { value: c.slug }, localText(c.title))));
  state.consultation = state.consultations.find((c) => c.slug === wanted) || state.consultations[0] || null;
  if (state.consultation) select.value = state.consultation.slug;
}

/** Show one view and let it (re)load what it shows; `focus` moves the focus into it. */
async function showView(name, focus = false) {
  currentView = name;
  document.body.dataset.ready = 'false';
  for (const button of document.querySelectorAll('.view-button')) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const key of Object.keys(VIEWS)) $(`view-${key}`).hidden = key !== name;
  if (focus) $(`view-${name}`).focus();
  try {
    await VIEWS[name].show();
  } catch (error) {
    reportFailure(error);
  } finally {
    document.body.dataset.ready = 'true';
  }
}

/** The server ended the session (expired, password changed): back to the sign-in form. */
function sessionEnded(event) {
  forgetSession();
  leaveWorkspace();
  showError($('signin-error'), event.detail);
  $('signin-username').focus();
}

/** After an edit: reload the list of consultations and keep working on `slug`. */
async function consultationChanged(slug) {
  await loadConsultations(slug);
}

async function enterWorkspace() {
  document.body.dataset.ready = 'false';
  $('signin').hidden = true;
  $('workspace').hidden = false;
  $('account').hidden = false;
  $('account-name').textContent = t('planner_signed_in_as', { name: state.session.username });
  document.body.dataset.role = state.session.role;
  if (state.session.role !== 'admin' && currentView === 'consultation') currentView = 'queue';
  await loadConsultations(state.consultation?.slug);
  await showView(currentView);
}

function leaveWorkspace() {
  $('workspace').hidden = true;
  $('account').hidden = true;
  $('signin').hidden = false;
  document.body.dataset.ready = 'true';
}

async function languageChanged() {
  document.title = t('planner_page_title');
  consultationView.setTexts();
  if (state.session) {
    $('account-name').textContent = t('planner_signed_in_as', { name: state.session.username });
    await loadConsultations(state.consultation?.slug);
    await showView(currentView);
  }
}

async function start() {
  const config = await getJSON('/api/config');
  await startLanguages($('language-select'), config.languages, languageChanged);
  document.title = t('planner_page_title');

  plannerMap.configure(config);
  queue.setup();
  consultationView.setup(consultationChanged, config);
  entries.setup();
  exportsView.setup();
  statistics.setup();
  for (const button of document.querySelectorAll('.view-button')) {
    button.addEventListener('click', () => showView(button.dataset.view, true));
  }
  $('consultation-select').addEventListener('change', async (event) => {
    state.consultation = state.consultations.find((c) => c.slug === event.target.value);
    consultationView.editSelected();
    await showView(currentView);
  });
  $('sign-out').addEventListener('click', async () => {
    await signOut();
    leaveWorkspace();
    announce(t('planner_signed_out'));
    $('signin-username').focus();
  });
  $('sign-out-everywhere').addEventListener('click', async () => {
    await signOutEverywhere();
    leaveWorkspace();
    announce(t('planner_signed_out_everywhere'));
    $('signin-username').focus();
  });
  document.addEventListener(SESSION_ENDED, sessionEnded);
  setupSignIn(async () => {
    announce(t('planner_signed_in_as', { name: state.session.username }));
    await enterWorkspace();
    $('main').focus();
  });

  if (await currentSession()) await enterWorkspace();
  else leaveWorkspace();
}

start();
