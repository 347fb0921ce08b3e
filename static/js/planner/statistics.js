// Analysis: counts by category, status, source and week; the most supported pins; the themes;
// the report map.

import { getJSON } from '../api.js';
import { el } from '../dom.js';
import { codeLabel, t } from '../i18n.js';
import { categoryOf, consultationPath } from './state.js';
import * as themes from './themes.js';

const $ = (id) => document.getElementById(id);
const SVG = 'http://www.w3.org/2000/svg';

function countTable(captionKey, counts, label) {
  const rows = Object.entries(counts).map(([key, count]) =>
    el('tr', {}, el('th', { scope: 'row' }, label(key)), el('td', {}, String(count))));
  return el('table', { className: 'data-table' },
    el('caption', {}, t(captionKey)),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('planner_kind')), el('th', { scope: 'col' }, t('planner_number')))),
    el('tbody', {}, ...rows));
}

/** Pins per poster; two posters at one place are told apart by their key. */
function posterTable(posters) {
  const rows = posters.map((poster) => el('tr', {},
    el('th', { scope: 'row' }, poster.place || poster.coordinates.map((n) => n.toFixed(5)).join(', '), ' ',
      el('span', { className: 'pin-meta' }, `(${poster.key})`)),
    el('td', {}, String(poster.count))));
  return el('table', { className: 'data-table' },
    el('caption', {}, t('planner_by_poster')),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('planner_poster_place')), el('th', { scope: 'col' }, t('planner_number')))),
    el('tbody', {}, ...rows));
}

function svg(tag, attributes, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/** Contributions per week as bars; the table below holds the same numbers for every reader. */
function chart(weeks) {
  const width = 640;
  const height = 240;
  const pad = { top: 16, right: 8, bottom: 48, left: 40 };
  const max = Math.max(1, ...weeks.map((w) => w.count));
  const slot = (width - pad.left - pad.right) / Math.max(1, weeks.length);
  const y = (value) => pad.top + (height - pad.top - pad.bottom) * (1 - value / max);
  const bars = weeks.map((week, index) => {
    const x = pad.left + index * slot + slot * 0.15;
    return svg('g', {},
      svg('rect', { x, y: y(week.count), width: slot * 0.7, height: y(0) - y(week.count), fill: '#0b57d0' }),
      svg('text', { x: x + slot * 0.35, y: y(week.count) - 4, 'text-anchor': 'middle', 'font-size': 12, fill: '#1a1a1a' }, String(week.count)),
      svg('text', { x: x + slot * 0.35, y: height - pad.bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#1a1a1a' }, week.period.replace(/^\d{4}-/, '')));
  });
  const title = svg('title', { id: 'chart-title' }, t('planner_chart_heading'));
  const desc = svg('desc', { id: 'chart-desc' }, t('planner_chart_desc', { weeks: weeks.length, max }));
  const axis = svg('line', { x1: pad.left, y1: y(0), x2: width - pad.right, y2: y(0), stroke: '#1a1a1a' });
  const graphic = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart-svg',
  }, title, desc, axis, ...bars);
  const table = el('table', { className: 'data-table' },
    el('caption', {}, t('planner_chart_table')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('planner_week')),
      el('th', { scope: 'col' }, t('planner_number')),
      el('th', { scope: 'col' }, t('planner_cumulative')))),
    el('tbody', {}, ...weeks.map((w) => el('tr', {},
      el('th', { scope: 'row' }, w.period), el('td', {}, String(w.count)), el('td', {}, String(w.cumulative))))));
  return [graphic, el('figcaption', {}, table)];
}

export function setup() {
  themes.setup();
}

export async function show() {
  const stats = await getJSON(consultationPath('/statistics'));
  $('statistics-total').textContent = t('planner_total', { count: stats.total });
  $('statistics-tables').replaceChildren(
    countTable('planner_by_category', stats.by_category, (key) => categoryOf(key).label),
    countTable('planner_by_status', stats.by_status, (key) => codeLabel('status', key)),
    countTable('planner_by_source', stats.by_source, (key) => codeLabel('source', key)),
    ...(stats.by_poster.length ? [posterTable(stats.by_poster)] : []));
  $('chart').replaceChildren(...chart(stats.by_week));
  $('most-supported').replaceChildren(...stats.most_supported.map((pin) =>
    el('li', {}, el('span', { className: 'list-category' }, categoryOf(pin.category).label), ' – ', pin.text, ' ',
      el('span', { className: 'pin-meta' }, t('planner_supports', { count: pin.support_count })))));
  if (!stats.most_supported.length) $('most-supported').replaceChildren(el('li', {}, t('planner_none_yet')));
  $('report-link').href = consultationPath('/report.html');
  await themes.show();
}
