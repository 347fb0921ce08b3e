// "Meine Beiträge": what this browser sent, with its status and the planners' answer.

import { getJSON } from './api.js';
import { el } from './dom.js';
import { codeLabel, formatDate, t } from './i18n.js';
import { category } from './pins.js';

const $ = (id) => document.getElementById(id);
const STATUS_KEYS = { pending: 'status_pending', published: 'status_published', rejected: 'status_not_published', hidden: 'status_not_published' };

function reason(code) {
  // Reasons are codes (the planners' list, or "reported" for the automatic hide): say them in words.
  if (code === 'reported') return t('reason_reported');
  return codeLabel('reason', code);
}

function entry(item, kind) {
  return el('li', { className: 'mine-entry' },
    el('p', { className: 'list-category' }, kind === 'reply' ? t('mine_reply') : category(item.category).label),
    el('p', { className: 'list-text' }, item.text),
    el('p', { className: `mine-status status-${item.status}` }, t(STATUS_KEYS[item.status] || 'status_pending'),
      item.status_reason ? ` – ${reason(item.status_reason)}` : ''),
    item.planner_response ? el('p', { className: 'planner-response' }, t('planner_response'), ' ', item.planner_response) : null,
    el('p', { className: 'pin-meta' }, formatDate(item.created_at)));
}

/** Load and show the participant's contributions and replies. */
export async function showMine() {
  const mine = await getJSON('/api/me/contributions');
  const items = [
    ...mine.contributions.map((c) => entry(c, 'contribution')),
    ...mine.replies.map((r) => entry(r, 'reply')),
  ];
  $('mine-list').replaceChildren(...(items.length ? items : [el('li', {}, t('mine_empty'))]));
}

