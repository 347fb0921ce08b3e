// Pins from the office, a workshop or paper cards: entered one by one, or imported from a file.

import { postForm, postJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { t } from '../i18n.js';
import { busy, clearError, showError } from './feedback.js';
import { pointPicker } from './plannermap.js';
import { categoryOf, consultationPath, state } from './state.js';

const $ = (id) => document.getElementById(id);
let picker = null;

function number(value) {
  return Number(String(value).trim().replace(',', '.'));
}

async function enter(event) {
  event.preventDefault();
  clearError($('entry-error'));
  const body = {
    geometry: { type: 'Point', coordinates: [number($('entry-lon').value), number($('entry-lat').value)] },
    category: $('entry-category').value,
    text: $('entry-text').value,
    source: $('entry-source').value,
  };
  if ($('entry-name').value.trim()) body.author_name = $('entry-name').value.trim();
  if ($('entry-email').value.trim()) body.contact_email = $('entry-email').value.trim();
  try {
    await busy(event.submitter, () => postJSON(consultationPath('/contributions'), body));
  } catch (error) {
    showError($('entry-error'), error);
    return;
  }
  $('entry-text').value = '';
  $('entry-name').value = '';
  $('entry-email').value = '';
  announce(t('planner_entered_done'));
}

function importPath(dryRun) {
  const params = new URLSearchParams({ dry_run: String(dryRun), source: $('import-source').value });
  return consultationPath(`/imports?${params}`);
}

function fileForm() {
  const form = new FormData();
  form.append('file', $('import-file').files[0]);
  return form;
}

function cell(text) {
  return el('td', {}, String(text));
}

async function preview(event) {
  event.preventDefault();
  clearError($('import-error'));
  $('import-result').hidden = true;
  if (!$('import-file').files.length) {
    showError($('import-error'), { message: t('planner_choose_file') });
    return;
  }
  let plan;
  try {
    plan = await busy(event.submitter, () => postForm(importPath(true), fileForm()));
  } catch (error) {
    showError($('import-error'), error);
    $('import-preview').hidden = true;
    return;
  }
  $('preview-summary').textContent = t('planner_preview_summary', { create: plan.create.length, refused: plan.refused.length });
  $('preview-create').replaceChildren(...plan.create.map((row) =>
    el('tr', {}, cell(row.row), cell(categoryOf(row.category).label), cell(row.text))));
  $('preview-refused').replaceChildren(...plan.refused.map((row) => el('tr', {}, cell(row.row), cell(row.reason))));
  $('import-run').disabled = plan.create.length === 0;
  $('import-preview').hidden = false;
  $('import-preview').focus();
}

async function run() {
  let result;
  try {
    result = await busy($('import-run'), () => postForm(importPath(false), fileForm()));
  } catch (error) {
    showError($('import-error'), error);
    return;
  }
  $('import-preview').hidden = true;
  $('import-form').reset();
  $('import-result').textContent = t('planner_import_done', { created: result.created, refused: result.refused.length });
  $('import-result').hidden = false;
  $('import-result').focus();
  announce($('import-result').textContent);
}

export function setup() {
  picker = pointPicker($('entry-map'), ([lon, lat]) => {
    $('entry-lon').value = lon.toFixed(6);
    $('entry-lat').value = lat.toFixed(6);
    announce(t('planner_point_set'));
  });
  const typed = () => {
    const lon = number($('entry-lon').value);
    const lat = number($('entry-lat').value);
    if (Number.isFinite(lon) && Number.isFinite(lat) && $('entry-lon').value && $('entry-lat').value) picker.place(lon, lat);
  };
  $('entry-lon').addEventListener('change', typed);
  $('entry-lat').addEventListener('change', typed);
  $('entry-form').addEventListener('submit', enter);
  $('import-form').addEventListener('submit', preview);
  $('import-run').addEventListener('click', run);
  $('import-file').addEventListener('change', () => {
    $('import-preview').hidden = true;
  });
}

export async function show() {
  const categories = state.consultation?.categories || [];
  $('entry-category').replaceChildren(...categories.map((c) => el('option', { value: c.key }, categoryOf(c.key).label)));
  $('entry-map').setAttribute('aria-label', t('planner_map_entry'));
  picker.resize();
  picker.showPerimeter(state.consultation?.perimeter);
}
