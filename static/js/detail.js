// What happens inside an open pin: its photo, supporting it, replies, and reporting it.

import { deleteJSON, formSends, formStart, getJSON, postJSON, refusalText } from './api.js';
import { announce, el } from './dom.js';
import { formatDate, t } from './i18n.js';

const REASONS = ['insult', 'personal_data', 'spam', 'other'];
let uid = 0;

function photoBlock(photo) {
  const image = el('img', { src: photo.thumbnail_url, alt: photo.alt || t('photo_no_alt'), className: 'pin-photo', loading: 'lazy' });
  return el('a', { href: photo.url, target: '_blank', rel: 'noopener', className: 'pin-photo-link', title: t('photo_open') }, image);
}

function supportButton(detail, onCount) {
  const button = el('button', { type: 'button', className: 'button support' });
  const show = (state) => {
    button.setAttribute('aria-pressed', String(state.supported_by_me));
    button.textContent = state.supported_by_me
      ? t('support_given', { count: state.support_count })
      : t('support_give', { count: state.support_count });
  };
  show(detail);
  button.addEventListener('click', async () => {
    const path = `/api/contributions/${encodeURIComponent(detail.id)}/supports`;
    const supported = button.getAttribute('aria-pressed') === 'true';
    button.disabled = true;
    try {
      const state = supported ? await deleteJSON(path) : await postJSON(path);
      show(state);
      onCount(state.support_count);
      announce(state.supported_by_me ? t('support_counted') : t('support_taken_back'));
    } catch (error) {
      announce(refusalText(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function replyItem(reply) {
  return el('li', { className: 'reply' },
    el('p', { className: 'reply-text' }, reply.text),
    el('p', { className: 'pin-meta' }, t('pin_meta', { name: reply.author_name || t('anonymous'), date: formatDate(reply.created_at) })),
    reply.status === 'pending' ? el('p', { className: 'pin-status' }, t('status_pending')) : null,
    reportToggle(`/api/replies/${encodeURIComponent(reply.id)}/reports`, t('report_reply')));
}

function replyForm(detail, list, refresh) {
  const id = `reply-${++uid}`;
  const text = el('textarea', { id: `${id}-text`, rows: 3, maxlength: 1000, required: true });
  const name = el('input', { id: `${id}-name`, type: 'text', maxlength: 80, autocomplete: 'name' });
  const message = el('p', { className: 'form-message', role: 'status' });
  const trap = honeypot(id);
  const form = el('form', { className: 'reply-form', novalidate: true, id, hidden: true },
    el('label', { for: text.id }, t('reply_text')), text,
    el('label', { for: name.id }, t('field_name')), name,
    trap.box,
    el('button', { type: 'submit', className: 'button' }, t('reply_send')));
  let formToken = Promise.resolve(null);
  const send = formSends();
  // Folded until wanted, so the open pin stays small enough to fit the map.
  const toggle = el('button', { type: 'button', className: 'button', 'aria-expanded': 'false', 'aria-controls': id }, t('reply_write'));
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) {
      formToken = formStart().catch(() => null);
      text.focus();
    }
    refresh();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      message.textContent = t('error_no_text');
      text.focus();
      return;
    }
    try {
      const body = { text: text.value.trim() };
      if (name.value.trim()) body.author_name = name.value.trim();
      if (trap.input.value) body.website = trap.input.value;
      let token = await formToken;
      if (!token) token = await (formToken = formStart());
      body.form_token = token;
      const reply = await send(`/api/contributions/${encodeURIComponent(detail.id)}/replies`, body);
      list.append(replyItem(reply));
      form.reset();
      form.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      message.textContent = reply.status === 'published' ? t('reply_published') : t('reply_pending');
    } catch (error) {
      message.textContent = refusalText(error);
    }
    announce(message.textContent);
    refresh();
  });
  return el('div', { className: 'reply-box' }, toggle, form, message);
}

/**
 * The honeypot field: visually hidden, hidden from screen readers and out of the tab order,
 * so people never fill it; a bot filling every field does, and is refused.
 */
function honeypot(id) {
  const input = el('input', { id: `${id}-website`, name: 'website', type: 'text', tabindex: '-1', autocomplete: 'off' });
  const box = el('div', { className: 'honeypot', 'aria-hidden': 'true' },
    el('label', { for: input.id }, t('honeypot_label')), input);
  return { box, input };
}

/** A "Melden" button that unfolds a small form: reason, optional note, send. */
function reportToggle(path, label) {
  const id = `report-${++uid}`;
  const reason = el('select', { id: `${id}-reason` }, ...REASONS.map((key) => el('option', { value: key }, t(`reason_${key}`))));
  const note = el('textarea', { id: `${id}-note`, rows: 2, maxlength: 500 });
  const message = el('p', { className: 'form-message', role: 'status' });
  const form = el('form', { className: 'report-form', id, hidden: true },
    el('label', { for: reason.id }, t('report_reason')), reason,
    el('label', { for: note.id }, t('report_note')), note,
    el('button', { type: 'submit', className: 'button' }, t('report_send')));
  const toggle = el('button', { type: 'button', className: 'link-button', 'aria-expanded': 'false', 'aria-controls': id }, label);
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) reason.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const body = { reason: reason.value };
      if (note.value.trim()) body.note = note.value.trim();
      await postJSON(path, body);
      form.hidden = true;
      toggle.hidden = true;
      message.textContent = t('report_thanks');
    } catch (error) {
      message.textContent = refusalText(error);
    }
    announce(message.textContent);
  });
  return el('div', { className: 'report' }, toggle, form, message);
}

/**
 * Fill `slot` (inside an open popup) with the pin's photo, support button, replies and report
 * link. `consultation` says whether replies are on; `onCount(n)` hears new support counts.
 * `known` is the pin's detail when the caller has just fetched it.
 */
export async function fillDetail(slot, id, consultation, onCount, refresh, known = null) {
  let detail = known;
  try {
    detail ||= await getJSON(`/api/contributions/${encodeURIComponent(id)}`);
  } catch (error) {
    slot.replaceChildren(el('p', { className: 'form-message' }, refusalText(error)));
    refresh();
    return;
  }
  const open = consultation.status === 'open' && new Date() < new Date(consultation.closes_at);
  const replies = el('ul', { className: 'replies' }, ...detail.replies.map(replyItem));
  const parts = [
    detail.photo ? photoBlock(detail.photo) : null,
    open ? supportButton(detail, onCount) : null,
    el('h3', { className: 'replies-heading' }, t('replies_heading', { count: detail.reply_count })),
    replies,
    open && consultation.allow_replies && !consultation.paused ? replyForm(detail, replies, refresh) : null,
    reportToggle(`/api/contributions/${encodeURIComponent(id)}/reports`, t('report_contribution')),
  ];
  slot.replaceChildren(...parts.filter(Boolean));
  for (const image of slot.querySelectorAll('img')) image.addEventListener('load', refresh);
  refresh();
}
