// The erasure dialog: an admin removes a pin's personal data (name, e-mail, photo) on request.

import { postJSON } from '../api.js';
import { announce } from '../dom.js';
import { t } from '../i18n.js';
import { runDialog } from './dialogs.js';

const $ = (id) => document.getElementById(id);

/** Erase pin `item`'s personal data after confirmation; resolves with whether it was erased. */
export async function erase(item, opener) {
  const confirmed = await runDialog($('erase-dialog'), opener,
    () => postJSON(`/api/planner/contributions/${item.id}/erasure`));
  if (confirmed) announce(t('planner_erased_done'));
  return confirmed;
}
