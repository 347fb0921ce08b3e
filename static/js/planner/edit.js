// The edit dialog: a planner corrects a pin's category, text or place, and answers it.

import { patchJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { t } from '../i18n.js';
import { runDialog } from './dialogs.js';
import { categoryOf, state } from './state.js';

const $ = (id) => document.getElementById(id);

function fillCategories(select, selected) {
  select.replaceChildren(...(state.consultation?.categories || []).map((c) =>
    el('option', { value: c.key }, categoryOf(c.key).label)));
  select.value = selected;
}

/** Edit pin `item`, sending only what changed; resolves with whether it was saved. */
export async function edit(item, opener) {
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
  if (confirmed) announce(t('planner_saved'));
  return confirmed;
}
