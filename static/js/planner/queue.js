// The moderation queue: pins and replies, newest first, each pin also on a small map; the
// buttons on an item open the decision, edit, erasure and audit dialogs.

import { getJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { codeLabel, formatDate, t } from '../i18n.js';
import { showAudit } from './audit.js';
import * as brake from './brake.js';
import { decide } from './decision.js';
import { edit } from './edit.js';
import { erase } from './erasure.js';
import { reportFailure } from './feedback.js';
import { pinMap } from './plannermap.js';
import { categoryOf, state } from './state.js';

const $ = (id) => document.getElementById(id);
let map = null;

function queuePath(kind) {
  const params = new URLSearchParams();
  if (state.consultation) params.set('consultation', state.consultation.slug);
  const filter = $('queue-filter').value;
  if (filter === 'reported') params.set('reported', 'true');
  else params.set('status', filter);
  return `/api/planner/${kind}?${params}`;
}

function meta(item) {
  const parts = [codeLabel('status', item.status), formatDate(item.created_at)];
  if (item.source && item.source !== 'online') parts.push(codeLabel('source', item.source));
  if (item.author_name) parts.push(item.author_name);
  return parts.join(' · ');
}

/** A button on a queue item; a refusal from what it does is said through the live region. */
function actionButton(key, onClick, describedBy) {
  const run = (event) => Promise.resolve(onClick(event)).catch(reportFailure);
  return el('button', { type: 'button', className: 'button', 'aria-describedby': describedBy, onclick: run }, t(key));
}

/** The decisions that fit the item's status: publish/reject, hide, or restore. */
function decisionButtons(kind, item, textId) {
  const list = kind === 'contributions' ? 'queue-list' : 'reply-list';
  const on = (status) => (event) => after(list, item, decide(kind, item, status, event.currentTarget));
  if (item.status === 'pending') {
    return [
      actionButton('planner_publish', on('published'), textId),
      actionButton('planner_reject', on('rejected'), textId),
    ];
  }
  if (item.status === 'published') return [actionButton('planner_hide', on('hidden'), textId)];
  return [actionButton('planner_restore', on('published'), textId)];
}

function pinEntry(item) {
  const textId = `pin-text-${item.id}`;
  const cat = categoryOf(item.category);
  const buttons = [
    ...decisionButtons('contributions', item, textId),
    actionButton('planner_edit', (event) => after('queue-list', item, edit(item, event.currentTarget)), textId),
    actionButton('planner_audit', (event) => showAudit('contributions', item.id, event.currentTarget), textId),
  ];
  if (item.geometry) {
    buttons.splice(0, 0, actionButton('planner_show_on_map', () => {
      map.focusPin(item.id);
      announce(t('planner_shown_on_map'));
    }, textId));
  }
  if (state.session.role === 'admin' && (item.author_name || item.contact_email || item.has_photo)) {
    buttons.push(actionButton('planner_erase', (event) => after('queue-list', item, erase(item, event.currentTarget)), textId));
  }
  return el('li', { className: 'queue-item', 'data-id': item.id },
    el('p', { className: 'pin-category' },
      el('span', { className: 'swatch', style: { background: cat.color }, 'aria-hidden': 'true' }), cat.label),
    el('p', { className: 'pin-text', id: textId }, item.text),
    el('p', { className: 'pin-meta' }, meta(item)),
    item.contact_email ? el('p', { className: 'pin-meta' }, t('planner_contact', { email: item.contact_email })) : null,
    item.geometry ? null : el('p', { className: 'pin-meta' }, t('planner_without_location')),
    reportsLine(item),
    item.status_reason ? el('p', { className: 'pin-meta' }, t('planner_reason_was', { reason: codeLabel('reason', item.status_reason) })) : null,
    item.planner_response ? el('p', { className: 'planner-response' }, t('planner_response_label'), ' ', item.planner_response) : null,
    el('div', { className: 'form-buttons' }, ...buttons));
}

function replyEntry(item) {
  const textId = `reply-text-${item.id}`;
  return el('li', { className: 'queue-item', 'data-id': item.id },
    el('p', { className: 'pin-text', id: textId }, item.text),
    el('p', { className: 'pin-meta' }, meta(item)),
    reportsLine(item),
    el('div', { className: 'form-buttons' },
      ...decisionButtons('replies', item, textId),
      actionButton('planner_audit', (event) => showAudit('replies', item.id, event.currentTarget), textId)));
}

/** How many open reports, and from how many networks: what hiding by reports depends on. */
function reportsLine(item) {
  if (!item.open_reports) return null;
  return el('p', { className: 'reports' },
    t('planner_open_reports', { count: item.open_reports }), ' ',
    t('planner_report_networks', { networks: item.report_networks }));
}

async function load() {
  const [pins, replies] = await Promise.all([getJSON(queuePath('contributions')), getJSON(queuePath('replies'))]);
  $('queue-list').replaceChildren(...pins.map(pinEntry));
  $('reply-list').replaceChildren(...replies.map(replyEntry));
  $('queue-count').textContent = t('planner_count', { count: pins.length });
  $('reply-count').textContent = t('planner_count', { count: replies.length });
  map.showPerimeter(state.consultation?.perimeter);
  map.showPins(pins.map((p) => ({ id: p.id, geometry: p.geometry, color: categoryOf(p.category).color, label: p.text.slice(0, 60) })));
  map.resize();
  $('queue-map').setAttribute('aria-label', t('planner_map_queue'));
  return pins.length + replies.length;
}

/** After a change the item may leave the list: focus the item now at its place, else the heading. */
async function reloadAfter(list, id) {
  const before = [...$(list).children].findIndex((li) => li.dataset.id === id);
  await load();
  const items = [...$(list).children];
  const next = items[Math.min(Math.max(before, 0), items.length - 1)];
  (next?.querySelector('button') || $('view-queue')).focus();
}

/** Once a dialog's `changed` resolves true, reload the list and keep the focus in place. */
async function after(list, item, changed) {
  if (await changed) await reloadAfter(list, item.id);
}

export function setup() {
  map = pinMap($('queue-map'));
  brake.setup();
  $('queue-filter').addEventListener('change', async () => {
    const count = await load();
    announce(t('planner_count', { count }));
  });
}

export async function show() {
  brake.render();
  await load();
}
