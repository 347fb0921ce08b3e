// The audit trail dialog: who changed what about a pin or reply, when, from what to what.

import { getJSON } from '../api.js';
import { el } from '../dom.js';
import { codeLabel, formatMoment, t } from '../i18n.js';
import { runDialog } from './dialogs.js';

const $ = (id) => document.getElementById(id);

/** The audited fields whose values are codes, and the kind of words each code has. */
const CODE_KINDS = { status: 'status', status_reason: 'reason', source: 'source', response_status: 'response' };

/** A changed value as the planner reads it: words for codes, coordinates for a point. */
function auditValue(field, value) {
  if (value === null || value === undefined || value === '') return '–';
  if (value.type === 'Point') return value.coordinates.map((c) => c.toFixed(6)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return CODE_KINDS[field] ? codeLabel(CODE_KINDS[field], value) : String(value);
}

/** One change of an audit event in words: field, before → after. */
export function changeText(field, [before, after]) {
  return t('planner_audit_change', {
    field: codeLabel('audit_field', field),
    before: auditValue(field, before),
    after: auditValue(field, after),
  });
}

/** One audit event's heading: when, what, by whom. */
export function eventText(event) {
  return t('planner_audit_event', {
    actor: event.actor, action: codeLabel('action', event.action), date: formatMoment(event.created_at),
  });
}

/** Show the audit trail of `kind` ('contributions' or 'replies') item `id`. */
export async function showAudit(kind, id, opener) {
  const events = await getJSON(`/api/planner/${kind}/${id}/audit`);
  $('audit-list').replaceChildren(...events.map((event) =>
    el('li', { className: 'audit-entry' },
      el('p', { className: 'list-category' }, eventText(event)),
      el('ul', {}, ...Object.entries(event.changes).map(([field, values]) => el('li', {}, changeText(field, values)))))));
  if (!events.length) $('audit-list').replaceChildren(el('li', {}, t('planner_audit_empty')));
  await runDialog($('audit-dialog'), opener);
}
