// Themes at a glance (analysis view): frequent terms and groups of similar pins, per language,
// for the whole consultation, one topic or a drawn area. The tables are the primary view; the
// map shows where each group's pins are, in the group's colour, with a legend.

import { getJSON } from '../api.js';
import { announce, el } from '../dom.js';
import { language, localText, t } from '../i18n.js';
import { clearError, showError } from './feedback.js';
import { setRectangleTexts, themeMap } from './plannermap.js';
import { categoryOf, consultationPath, state } from './state.js';

const $ = (id) => document.getElementById(id);
// Okabe–Ito: told apart also with the common colour vision deficiencies.
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#000000', '#f0e442'];
let map = null;
let area = null;
let request = 0;

function languageName(code) {
  try {
    return new Intl.DisplayNames([language()], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

function swatch(color) {
  return el('span', { className: 'swatch', style: { background: color }, 'aria-hidden': 'true' });
}

function termsTable(lang) {
  return el('table', { className: 'data-table themes-terms' },
    el('caption', {}, t('planner_themes_terms_caption', { language: languageName(lang.language) })),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('planner_themes_term')),
      el('th', { scope: 'col' }, t('planner_themes_pins')))),
    el('tbody', {}, ...lang.terms.map((term) => el('tr', {},
      el('th', { scope: 'row', dir: 'auto' }, term.text),
      el('td', {}, String(term.count))))));
}

function groupsTable(lang, colourOf) {
  return el('table', { className: 'data-table themes-groups' },
    el('caption', {}, t('planner_themes_groups_caption', { language: languageName(lang.language) })),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('planner_themes_group')),
      el('th', { scope: 'col' }, t('planner_themes_group_terms')),
      el('th', { scope: 'col' }, t('planner_themes_pins')),
      el('th', { scope: 'col' }, t('planner_themes_representative')))),
    el('tbody', {}, ...lang.groups.map((group) => el('tr', { className: 'themes-group' },
      el('th', { scope: 'row' }, swatch(colourOf(lang, group)), t('planner_themes_group_number', { number: group.number })),
      el('td', { dir: 'auto' }, group.terms.join(' · ')),
      el('td', { className: 'themes-count' }, String(group.count)),
      el('td', {},
        el('span', { className: 'list-category' }, categoryOf(group.representative.category).label), ' – ',
        el('q', { dir: 'auto' }, group.representative.text))))));
}

function groupLabel(lang, group) {
  const number = t('planner_themes_group_number', { number: group.number });
  const where = lang.language === 'de' ? '' : ` (${languageName(lang.language)})`;
  return `${number}${where}: ${group.terms.join(', ')} – ${t('planner_themes_group_pins', { count: group.count })}`;
}

function summary(themes) {
  const parts = [t('planner_themes_analysed', { analysed: themes.analysed, matched: themes.matched })];
  if (themes.capped) parts.push(t('planner_themes_capped', { max: themes.analysed }));
  if (themes.message) parts.push(t(`planner_themes_${themes.message}`));
  return parts.join(' ');
}

function render(themes) {
  const entries = [];
  const colours = new Map();
  for (const lang of themes.languages) {
    for (const group of lang.groups) {
      const color = COLOURS[entries.length % COLOURS.length];
      colours.set(`${lang.language}:${group.number}`, color);
      entries.push({ color, label: groupLabel(lang, group), pins: group.pins });
    }
  }
  const colourOf = (lang, group) => colours.get(`${lang.language}:${group.number}`);
  $('themes-summary').textContent = summary(themes);
  $('themes-results').replaceChildren(...themes.languages.flatMap((lang) => [
    el('h4', {}, t('planner_themes_language', { language: languageName(lang.language), count: lang.pins })),
    lang.stemmed ? null : el('p', { className: 'hint' }, t('planner_themes_unstemmed')),
    lang.terms.length ? termsTable(lang) : null,
    lang.groups.length ? groupsTable(lang, colourOf) : null,
    lang.ungrouped ? el('p', { className: 'hint' }, t('planner_themes_ungrouped', { count: lang.ungrouped })) : null,
  ].filter(Boolean)));
  $('themes-legend').replaceChildren(...entries.map((entry) => el('li', {}, swatch(entry.color), entry.label)));
  $('themes-legend-heading').hidden = !entries.length;
  map.showGroups(entries);
}

async function load() {
  const mine = ++request;
  clearError($('themes-error'));
  const params = new URLSearchParams();
  if ($('themes-topic').value) params.set('category', $('themes-topic').value);
  if (area) params.set('area', JSON.stringify(area));
  const query = params.toString();
  $('themes-results').setAttribute('aria-busy', 'true');
  try {
    const themes = await getJSON(consultationPath(`/themes${query ? `?${query}` : ''}`));
    if (mine !== request) return;
    render(themes);
    announce($('themes-summary').textContent);
  } catch (error) {
    if (mine !== request) return;
    if (error?.status === 401) throw error;
    showError($('themes-error'), error);
  } finally {
    if (mine === request) $('themes-results').removeAttribute('aria-busy');
  }
}

function setArea(geometry) {
  area = geometry;
  map.showArea(geometry);
  $('themes-area-state').textContent = t(geometry ? 'planner_themes_area_set' : 'planner_themes_area_none');
  $('themes-clear-area').disabled = !geometry;
  return load();
}

export function setup() {
  map = themeMap($('themes-map'), (geometry) => setArea(geometry));
  $('themes-topic').addEventListener('change', () => load());
  $('themes-draw-rectangle').addEventListener('click', () => {
    setRectangleTexts({ start: t('planner_themes_rectangle_start'), end: t('planner_themes_rectangle_end') });
    map.drawRectangle();
    announce(t('planner_themes_rectangle_start'));
  });
  $('themes-draw-polygon').addEventListener('click', () => {
    map.drawPolygon();
    announce(t('planner_draw_start'));
  });
  $('themes-use-view').addEventListener('click', () => setArea(map.viewArea()));
  $('themes-clear-area').addEventListener('click', () => setArea(null));
}

/** Show the themes of the current consultation (the area is kept only for the same one). */
export async function show() {
  const c = state.consultation;
  const select = $('themes-topic');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, t('planner_themes_all_topics')),
    ...c.categories.map((cat) => el('option', { value: cat.key }, localText(cat.label))));
  select.value = c.categories.some((cat) => cat.key === chosen) ? chosen : '';
  if (select.dataset.slug !== c.slug) {
    select.dataset.slug = c.slug;
    select.value = '';
    area = null;
    map.showArea(null);
  }
  $('themes-area-state').textContent = t(area ? 'planner_themes_area_set' : 'planner_themes_area_none');
  $('themes-clear-area').disabled = !area;
  map.showPerimeter(c.perimeter);
  await load();
}
