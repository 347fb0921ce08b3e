// Running consultations: create and edit, open/close/archive, the perimeter drawn or uploaded.

import { getJSON, patchJSON, postJSON, putForm } from '../api.js';
import { announce, el } from '../dom.js';
import { fromLocalInput, t, toLocalInput } from '../i18n.js';
import { busy, clearError, problemText, showError } from './feedback.js';
import { perimeterDrawer, setDrawTexts } from './plannermap.js';
import { consultationPath, state } from './state.js';

const $ = (id) => document.getElementById(id);
let drawer = null;
let drawn = null;
let creating = false;
let onChanged = () => {};

function categoryRow(category, index) {
  const id = (name) => `cat-${index}-${name}`;
  const field = (name, label, attributes) => el('div', { className: 'category-field' },
    el('label', { for: id(name) }, label),
    el('input', { id: id(name), name, ...attributes }));
  const row = el('li', { className: 'category-row' },
    el('fieldset', {},
      el('legend', {}, t('planner_category_number', { number: index + 1 })),
      field('key', t('planner_category_key'), { type: 'text', value: category.key, required: true, readonly: category.saved }),
      field('label_de', t('planner_category_label_de'), { type: 'text', value: category.label?.de || '', required: true }),
      field('label_en', t('planner_category_label_en'), { type: 'text', value: category.label?.en || '' }),
      field('color', t('planner_category_color'), { type: 'color', value: category.color || '#0b57d0' }),
      el('button', { type: 'button', className: 'button', onclick: () => removeCategory(row) }, t('planner_remove_category'))));
  row.dataset.labels = JSON.stringify(category.label || {});
  return row;
}

function removeCategory(row) {
  const list = $('category-rows');
  row.remove();
  renumber();
  (list.querySelector('li:last-child input') || $('add-category')).focus();
}

function renumber() {
  [...$('category-rows').children].forEach((row, index) => {
    row.querySelector('legend').textContent = t('planner_category_number', { number: index + 1 });
  });
}

function readCategories() {
  return [...$('category-rows').children].map((row) => {
    const value = (name) => row.querySelector(`[name=${name}]`).value.trim();
    const label = { ...JSON.parse(row.dataset.labels), de: value('label_de') };
    if (value('label_en')) label.en = value('label_en');
    else delete label.en;
    return { key: value('key'), label, color: value('color') };
  });
}

function fillForm(c) {
  $('consultation-form').reset();
  clearError($('consultation-error'));
  $('consultation-mode').textContent = creating ? t('planner_creating') : t('planner_editing', { slug: c.slug });
  $('c-slug').value = c?.slug || '';
  $('c-slug').readOnly = !creating;
  $('c-title-de').value = c?.title.de || '';
  $('c-title-en').value = c?.title.en || '';
  $('c-description-de').value = c?.description.de || '';
  $('c-question-de').value = c?.question.de || '';
  const now = new Date();
  $('c-opens').value = toLocalInput(c?.opens_at || now.toISOString());
  $('c-closes').value = toLocalInput(c?.closes_at || new Date(now.getTime() + 28 * 864e5).toISOString());
  $('c-moderation').value = c?.moderation || 'pre';
  $('c-replies').checked = c ? c.allow_replies : true;
  $('c-photos').checked = c ? c.allow_photos : true;
  const categories = c?.categories.map((cat) => ({ ...cat, saved: true })) || [{ key: '', label: {}, color: '#0b57d0' }];
  $('category-rows').replaceChildren(...categories.map(categoryRow));
}

function texts(existing, de, en) {
  const result = { ...(existing || {}), de };
  if (en) result.en = en;
  return result;
}

function formBody(c) {
  return {
    title: texts(c?.title, $('c-title-de').value.trim(), $('c-title-en').value.trim()),
    description: { ...(c?.description || {}), de: $('c-description-de').value.trim() },
    question: { ...(c?.question || {}), de: $('c-question-de').value.trim() },
    opens_at: fromLocalInput($('c-opens').value),
    closes_at: fromLocalInput($('c-closes').value),
    moderation: $('c-moderation').value,
    allow_replies: $('c-replies').checked,
    allow_photos: $('c-photos').checked,
    categories: readCategories(),
  };
}

async function save(event) {
  event.preventDefault();
  clearError($('consultation-error'));
  const c = creating ? null : state.consultation;
  const body = formBody(c);
  let saved;
  try {
    if (creating) {
      // A new consultation starts with the drawn area, else the whole district; both can change.
      const perimeter = drawn || (await getJSON('/api/reference/district'));
      saved = await postJSON('/api/planner/consultations', { ...body, slug: $('c-slug').value.trim(), perimeter });
    } else {
      saved = await patchJSON(consultationPath(), body);
    }
  } catch (error) {
    showError($('consultation-error'), error);
    return;
  }
  creating = false;
  drawn = null;
  await onChanged(saved.slug);
  await show();
  announce(t('planner_saved'));
}

async function setStatus(button) {
  clearError($('consultation-error'));
  try {
    await busy(button, () => patchJSON(consultationPath(), { status: button.dataset.status }));
  } catch (error) {
    showError($('consultation-error'), error);
    return;
  }
  await onChanged(state.consultation.slug);
  await show();
  announce(t('planner_status_now', { status: t(`planner_consultation_${state.consultation.status}`) }));
  button.focus();
}

function perimeterMessage(text) {
  $('perimeter-message').textContent = text;
  $('perimeter-message').hidden = false;
}

async function savePerimeter() {
  try {
    await busy($('save-perimeter'), () => patchJSON(consultationPath(), { perimeter: drawn }));
  } catch (error) {
    perimeterMessage(problemText(error));
    return;
  }
  drawn = null;
  await onChanged(state.consultation.slug);
  await show();
  perimeterMessage(t('planner_perimeter_saved'));
}

async function uploadPerimeter(event) {
  event.preventDefault();
  const file = $('perimeter-file').files[0];
  if (!file) {
    perimeterMessage(t('planner_choose_file'));
    return;
  }
  const form = new FormData();
  form.append('file', file);
  try {
    await putForm(consultationPath('/perimeter'), form);
  } catch (error) {
    perimeterMessage(problemText(error));
    return;
  }
  $('perimeter-upload').reset();
  await onChanged(state.consultation.slug);
  await show();
  perimeterMessage(t('planner_perimeter_saved'));
}

/** Texts leaflet-draw shows while drawing, in the page's language. */
export function setTexts() {
  setDrawTexts({
    start: t('planner_draw_start'), cont: t('planner_draw_continue'), end: t('planner_draw_end'), error: t('planner_draw_error'),
  });
}

/** Leave "new consultation" mode: the form edits the selected consultation again. */
export function editSelected() {
  creating = false;
  drawn = null;
}

export function setup(changed) {
  onChanged = changed;
  setTexts();
  drawer = perimeterDrawer($('perimeter-map'), (geometry) => {
    drawn = geometry;
    $('save-perimeter').disabled = creating;
    announce(t('planner_perimeter_drawn'));
  });
  $('consultation-form').addEventListener('submit', save);
  $('add-category').addEventListener('click', () => {
    const list = $('category-rows');
    list.append(categoryRow({ key: '', label: {}, color: '#0b57d0' }, list.children.length));
    list.lastElementChild.querySelector('input').focus();
  });
  $('new-consultation').addEventListener('click', () => {
    creating = true;
    drawn = null;
    fillForm(null);
    drawer.show(null);
    $('c-slug').focus();
  });
  for (const button of document.querySelectorAll('.lifecycle-button')) {
    button.addEventListener('click', () => setStatus(button));
  }
  $('draw-perimeter').addEventListener('click', () => {
    drawer.draw();
    announce(t('planner_draw_start'));
  });
  $('save-perimeter').addEventListener('click', savePerimeter);
  $('perimeter-upload').addEventListener('submit', uploadPerimeter);
}

export async function show() {
  const c = state.consultation;
  creating = creating || !c;
  fillForm(creating ? null : c);
  $('perimeter-message').hidden = true;
  $('save-perimeter').disabled = !drawn || creating;
  const lifecycle = !creating;
  for (const section of document.querySelectorAll('.lifecycle, #perimeter-upload')) section.hidden = !lifecycle;
  if (!creating) {
    $('lifecycle-status').textContent = t('planner_status_now', { status: t(`planner_consultation_${c.status}`) });
    for (const button of document.querySelectorAll('.lifecycle-button')) button.disabled = button.dataset.status === c.status;
  }
  $('perimeter-map').setAttribute('aria-label', t('planner_map_perimeter'));
  drawer.resize();
  drawer.show(creating ? drawn : c.perimeter);
}
