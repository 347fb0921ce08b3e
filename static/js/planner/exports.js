// The export panel: one file in a chosen format and CRS, or the competition data package.

import { getFile } from '../api.js';
import { announce, el } from '../dom.js';
import { t } from '../i18n.js';
import { busy, clearError, showError } from './feedback.js';
import * as posters from './posters.js';
import { categoryOf, consultationPath, state } from './state.js';

const $ = (id) => document.getElementById(id);

function filters() {
  const params = new URLSearchParams();
  for (const box of document.querySelectorAll('#export-form input[name=status]:checked')) params.append('status', box.value);
  for (const box of document.querySelectorAll('#export-categories input:checked')) params.append('category', box.value);
  return params;
}

/** Fetch the file and hand it to the browser as a download; a refusal shows in `errorBox`. */
export async function download(button, path, errorBox = $('export-error')) {
  clearError(errorBox);
  let file;
  try {
    file = await busy(button, () => getFile(path));
  } catch (error) {
    showError(errorBox, error);
    return;
  }
  const url = URL.createObjectURL(file.blob);
  const link = el('a', { href: url, download: file.name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  announce(t('planner_downloaded', { name: file.name }));
}

export function setup() {
  $('export-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = filters();
    params.set('format', $('export-format').value);
    if ($('export-crs').value) params.set('crs', $('export-crs').value);
    download(event.submitter, consultationPath(`/export?${params}`));
  });
  $('export-package').addEventListener('click', (event) =>
    download(event.currentTarget, consultationPath(`/export/package?${filters()}`)));
  posters.setup();
}

export async function show() {
  const boxes = (state.consultation?.categories || []).map((c) => {
    const id = `export-category-${c.key}`;
    return el('div', { className: 'consent' },
      el('input', { type: 'checkbox', id, value: c.key }),
      el('label', { for: id }, categoryOf(c.key).label));
  });
  $('export-categories').replaceChildren(...boxes);
  await posters.show();
}
