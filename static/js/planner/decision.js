// A moderation decision: publish or restore at once; reject or hide after the dialog that asks
// for the reason and, for a pin, an optional public answer.

import { postJSON } from '../api.js';
import { announce } from '../dom.js';
import { t } from '../i18n.js';
import { runDialog } from './dialogs.js';

const $ = (id) => document.getElementById(id);

const DECISIONS = {
  rejected: {
    title: { contributions: 'planner_reject_heading', replies: 'planner_reject_reply_heading' },
    confirm: 'planner_reject',
    done: 'planner_rejected_done',
  },
  hidden: {
    title: { contributions: 'planner_hide_heading', replies: 'planner_hide_reply_heading' },
    confirm: 'planner_hide',
    done: 'planner_hidden_done',
  },
};

/** Give `kind` item `item` the `status`; resolves with whether it changed (not cancelled). */
export async function decide(kind, item, status, opener) {
  const path = `/api/planner/${kind}/${item.id}/status`;
  if (status === 'published') {
    const restoring = item.status !== 'pending';
    await postJSON(path, { status });
    announce(t(restoring ? 'planner_restored_done' : 'planner_published_done'));
    return true;
  }
  const words = DECISIONS[status];
  $('decision-heading').textContent = t(words.title[kind]);
  $('decision-confirm').textContent = t(words.confirm);
  $('decision-text').textContent = item.text;
  $('decision-response-field').hidden = kind !== 'contributions';
  $('decision-form').reset();
  const confirmed = await runDialog($('decision-dialog'), opener, async () => {
    const body = { status, reason: $('decision-reason').value };
    const response = $('decision-response').value.trim();
    if (response && kind === 'contributions') body.response = response;
    await postJSON(path, body);
  });
  if (confirmed) announce(t(words.done));
  return confirmed;
}
