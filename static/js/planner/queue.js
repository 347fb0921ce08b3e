// The moderation queue: pins (a page at a time, filtered and searched) and replies, newest
// first, each pin also on a small map; the buttons on an item open the decision, edit, erasure
// and audit dialogs.

import { getJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { codeLabel, formatDate, fromLocalInput, t } from '../i18n.js';
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

const SOURCES = ['online', 'office', 'workshop', 'paper', 'import'];
const PAGE = 50;
// The pins shown so far and where the next page starts (the server's opaque cursor).
const pinsShown = { items: [], total: 0, next: null };

function queueParams() {
  const params = new URLSearchParams();
  if (state.consultation) params.set('consultation', state.consultation.slug);
  const filter = $('queue-filter').value;
  if (filter === 'reported') params.set('reported', 'true');
  else params.set('status', filter);
  return params;
}

/** The pin filters beyond status: category, source, days received (Heeren's days), words. */
function pinParams() {
  const params = queueParams();
  if ($('queue-category').value) params.set('category', $('queue-category').value);
  if ($('queue-source').value) params.set('source', $('queue-source').value);
  if ($('queue-from').value) params.set('created_from', fromLocalInput(`${$('queue-from').value}T00:00`));
  if ($('queue-to').value) params.set('created_to', dayAfter($('queue-to').value));
  const words = $('queue-search').value.trim();
  if (words) params.set('q', words);
  return params;
}

/** The start of the day after `day` (YYYY-MM-DD) in Heeren: "received until" includes the day. */
function dayAfter(day) {
  const next = new Date(`${day}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return fromLocalInput(`${next.toISOString().slice(0, 10)}T00:00`);
}

function option(value, label) {
  return el('option', { value }, label);
}

/** Fill the category and source choices, keeping what was chosen where it still exists. */
function fillChoices() {
  const category = $('queue-category');
  const chosen = category.value;
  category.replaceChildren(option('', t('planner_queue_all')),
    ...(state.consultation?.categories || []).map((c) => option(c.key, categoryOf(c.key).label)));
  category.value = [...category.options].some((o) => o.value === chosen) ? chosen : '';
  const source = $('queue-source');
  const from = source.value;
  source.replaceChildren(option('', t('planner_queue_all')), ...SOURCES.map((code) => option(code, codeLabel('source', code))));
  source.value = from;
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

/** Ask for pins after the cursor, `limit` of them; the answer's items, total and next cursor. */
function pinPage(cursor, limit = PAGE) {
  const params = pinParams();
  params.set('limit', String(limit));
  if (cursor) params.set('cursor', cursor);
  return getJSON(`/api/planner/contributions?${params}`);
}

function showPins() {
  const { items, total, next } = pinsShown;
  $('queue-count').textContent = t('planner_queue_shown', { shown: items.length, total });
  $('queue-more').hidden = !next;
  map.showPins(items.map((p) => ({ id: p.id, geometry: p.geometry, color: categoryOf(p.category).color, label: p.text.slice(0, 60) })));
}

/** The first page again (or as many pins as were shown, so a decision keeps the place). */
async function load(keep = 0) {
  const limit = Math.min(Math.max(keep, PAGE), 200);
  const [pins, replies] = await Promise.all([pinPage(null, limit), getJSON(`/api/planner/replies?${queueParams()}`)]);
  Object.assign(pinsShown, { items: pins.items, total: pins.total, next: pins.next });
  $('queue-list').replaceChildren(...pins.items.map(pinEntry));
  $('reply-list').replaceChildren(...replies.map(replyEntry));
  $('reply-count').textContent = t('planner_count', { count: replies.length });
  map.showPerimeter(state.consultation?.perimeter);
  showPins();
  map.resize();
  $('queue-map').setAttribute('aria-label', t('planner_map_queue'));
  return pins.total;
}

/** The next page below the ones shown; the focus moves to the first new pin. */
async function loadMore() {
  const page = await pinPage(pinsShown.next);
  const entries = page.items.map(pinEntry);
  pinsShown.items.push(...page.items);
  Object.assign(pinsShown, { total: page.total, next: page.next });
  $('queue-list').append(...entries);
  showPins();
  announce(t('planner_queue_shown', { shown: pinsShown.items.length, total: pinsShown.total }));
  (entries[0]?.querySelector('button') || $('queue-more')).focus();
}

/** After a change the item may leave the list: focus the item now at its place, else the heading. */
async function reloadAfter(list, id) {
  const before = [...$(list).children].findIndex((li) => li.dataset.id === id);
  await load(pinsShown.items.length);
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
  const reload = async () => {
    const total = await load();
    announce(t('planner_queue_shown', { shown: pinsShown.items.length, total }));
  };
  for (const id of ['queue-filter', 'queue-category', 'queue-source']) {
    $(id).addEventListener('change', () => reload().catch(reportFailure));
  }
  $('queue-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    reload().catch(reportFailure);
  });
  $('queue-more').addEventListener('click', () => loadMore().catch(reportFailure));
}

export async function show() {
  brake.render();
  fillChoices();
  await load();
}
