// The emergency brake: pause a consultation's intake (pins, replies) in one click, with an
// optional message that residents see on the map and in the refusal of a send.

import { putJSON } from '../api.js';
import { announce } from '../dom.js';
import { t } from '../i18n.js';
import { busy, reportFailure } from './feedback.js';
import { consultationPath, state } from './state.js';

const $ = (id) => document.getElementById(id);

/** Show whether the current consultation takes pins and replies, and the matching button. */
export function render() {
  const c = state.consultation;
  $('brake').hidden = !c;
  if (!c) return;
  const paused = Boolean(c.paused);
  $('brake-state').textContent = paused
    ? (c.pause_message ? t('planner_brake_paused_message', { message: c.pause_message }) : t('planner_brake_paused'))
    : t('planner_brake_running');
  $('brake-message-row').hidden = paused;
  $('brake-button').textContent = paused ? t('planner_brake_resume') : t('planner_brake_pause');
  $('brake-button').classList.toggle('danger', !paused);
}

async function toggle(event) {
  const paused = !state.consultation.paused;
  const body = { paused, message: paused ? $('brake-message').value.trim() || null : null };
  try {
    const updated = await busy(event.currentTarget, () => putJSON(consultationPath('/pause'), body));
    Object.assign(state.consultation, updated);
    $('brake-message').value = '';
    render();
    announce(paused ? t('planner_brake_done_pause') : t('planner_brake_done_resume'));
  } catch (error) {
    reportFailure(error);
  }
}

export function setup() {
  $('brake-button').addEventListener('click', toggle);
}
