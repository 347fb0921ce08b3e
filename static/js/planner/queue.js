// The moderation queue: pins and replies, newest first, each pin also on a small map.

import { getJSON, patchJSON, postJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { formatDate, language, t } from '../i18n.js';
import * as brake from './brake.js';
import { runDialog } from './dialogs.js';
import { reportFailure } from './feedback.js';
import { pinMap } from './plannermap.js';
import { categoryOf, state, statusLabel } from './state.js';

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
  const parts = [statusLabel(item.status), formatDate(item.created_at)];
  if (item.source && item.source !== 'online') parts.push(t(`planner_source_${item.source}`));
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
  const on = (status) => (event) => decide(kind, item, status, event.currentTarget);
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
    actionButton('planner_edit', (event) => edit(item, event.currentTarget), textId),
    actionButton('planner_audit', (event) => showAudit('contributions', item.id, event.currentTarget), textId),
  ];
  if (item.geometry) {
    buttons.splice(0, 0, actionButton('planner_show_on_map', () => {
      map.focusPin(item.id);
      announce(t('planner_shown_on_map'));
    }, textId));
  }
  if (state.session.role === 'admin' && (item.author_name || item.contact_email || item.has_photo)) {
    buttons.push(actionButton('planner_erase', (event) => erase(item, event.currentTarget), textId));
  }
  return el('li', { className: 'queue-item', 'data-id': item.id },
    el('p', { className: 'pin-category' },
      el('span', { className: 'swatch', style: { background: cat.color }, 'aria-hidden': 'true' }), cat.label),
    el('p', { className: 'pin-text', id: textId }, item.text),
    el('p', { className: 'pin-meta' }, meta(item)),
    item.contact_email ? el('p', { className: 'pin-meta' }, t('planner_contact', { email: item.contact_email })) : null,
    item.geometry ? null : el('p', { className: 'pin-meta' }, t('planner_without_location')),
    reportsLine(item),
    item.status_reason ? el('p', { className: 'pin-meta' }, t('planner_reason_was', { reason: reasonLabel(item.status_reason) })) : null,
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

function reasonLabel(reason) {
  return known(`planner_reason_${reason}`, reason);
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

async function decide(kind, item, status, opener) {
  const list = kind === 'contributions' ? 'queue-list' : 'reply-list';
  const path = `/api/planner/${kind}/${item.id}/status`;
  const restoring = status === 'published' && item.status !== 'pending';
  if (status === 'published') {
    await postJSON(path, { status });
    announce(t(restoring ? 'planner_restored_done' : 'planner_published_done'));
    await reloadAfter(list, item.id);
    return;
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
  if (!confirmed) return;
  announce(t(words.done));
  await reloadAfter(list, item.id);
}

function fillCategories(select, selected) {
  select.replaceChildren(...(state.consultation?.categories || []).map((c) =>
    el('option', { value: c.key }, categoryOf(c.key).label)));
  select.value = selected;
}

async function edit(item, opener) {
  $('edit-form').reset();
  fillCategories($('edit-category'), item.category);
  $('edit-text').value = item.text;
  const [lon, lat] = item.geometry?.coordinates || ['', ''];
  $('edit-lat').value = lat;
  $('edit-lon').value = lon;
  $('edit-response').value = item.planner_response || '';
  $('edit-response-status').value = item.response_status || '';
  const confirmed = await runDialog($('edit-dialog'), opener, async () => {
    const body = {};
    if ($('edit-category').value !== item.category) body.category = $('edit-category').value;
    if ($('edit-text').value !== item.text) body.text = $('edit-text').value;
    const moved = [Number($('edit-lon').value), Number($('edit-lat').value)];
    if (item.geometry && (String(moved[0]) !== String(lon) || String(moved[1]) !== String(lat))) {
      body.geometry = { type: 'Point', coordinates: moved };
    }
    if ($('edit-response').value.trim() !== (item.planner_response || '')) body.planner_response = $('edit-response').value.trim();
    if ($('edit-response-status').value && $('edit-response-status').value !== item.response_status) {
      body.response_status = $('edit-response-status').value;
    }
    await patchJSON(`/api/planner/contributions/${item.id}`, body);
  });
  if (!confirmed) return;
  announce(t('planner_saved'));
  await reloadAfter('queue-list', item.id);
}

async function erase(item, opener) {
  const confirmed = await runDialog($('erase-dialog'), opener,
    () => postJSON(`/api/planner/contributions/${item.id}/erasure`));
  if (!confirmed) return;
  announce(t('planner_erased_done'));
  await reloadAfter('queue-list', item.id);
}

/** A catalog text for `key`, or `fallback` when the catalog has none (a code we do not know). */
function known(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

const VALUE_KEYS = {
  status: (v) => `planner_status_${v}`,
  status_reason: (v) => `planner_reason_${v}`,
  source: (v) => `planner_source_${v}`,
  response_status: (v) => `planner_response_${v}`,
};

/** Date and time in Heeren, for the audit trail where the order within a day matters. */
function moment(iso) {
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' }).format(new Date(iso));
}

function auditValue(field, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (value.type === 'Point') return value.coordinates.map((c) => c.toFixed(6)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return VALUE_KEYS[field] ? known(VALUE_KEYS[field](value), String(value)) : String(value);
}

function change(field, [before, after]) {
  return el('li', {}, t('planner_audit_change', {
    field: known(`planner_audit_field_${field}`, field),
    before: auditValue(field, before),
    after: auditValue(field, after),
  }));
}

async function showAudit(kind, id, opener) {
  const events = await getJSON(`/api/planner/${kind}/${id}/audit`);
  $('audit-list').replaceChildren(...events.map((event) =>
    el('li', { className: 'audit-entry' },
      el('p', { className: 'list-category' }, t('planner_audit_event', {
        actor: event.actor, action: known(`planner_action_${event.action}`, event.action), date: moment(event.created_at),
      })),
      el('ul', {}, ...Object.entries(event.changes).map(([field, values]) => change(field, values))))));
  if (!events.length) $('audit-list').replaceChildren(el('li', {}, t('planner_audit_empty')));
  await runDialog($('audit-dialog'), opener);
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
