// UI text, dates and labels: every string comes from static/i18n/<lang>.json (German is the
// source and fallback); every date is shown and read in Heeren's time zone.

import { el } from './dom.js';

const RTL = new Set(['ar']);
/** Each language named in itself, for the language choosers. */
const ENDONYMS = {
  de: 'Deutsch', en: 'English', tr: 'Türkçe', ar: 'العربية', uk: 'Українська', pl: 'Polski', ru: 'Русский',
};
const STORAGE_KEY = 'geoapp.language';
/** Heeren's time zone: every date the UI shows or reads is local time there. */
const ZONE = 'Europe/Berlin';
let current = 'de';
let catalog = {};
let fallback = {};

async function load(code) {
  const response = await fetch(`/i18n/${code}.json`);
  return response.ok ? response.json() : {};
}

export function t(key, params = {}) {
  const template = catalog[key] ?? fallback[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

export function language() {
  return current;
}

/** The language to start with: the remembered choice, else the browser's, else German. */
export function initialLanguage(offered) {
  const remembered = localStorage.getItem(STORAGE_KEY);
  if (remembered && offered.includes(remembered)) return remembered;
  for (const tag of navigator.languages || [navigator.language]) {
    const primary = (tag || '').toLowerCase().split('-')[0];
    if (offered.includes(primary)) return primary;
  }
  return 'de';
}

/** Make `code` the language of every text and date, loading its catalog (German is the fallback). */
export async function loadLanguage(code) {
  // Both catalogs at once: the first page load waits for one round trip, not two.
  const [german, chosen] = await Promise.all([
    Object.keys(fallback).length ? fallback : load('de'),
    code === 'de' ? null : load(code),
  ]);
  fallback = german;
  catalog = chosen ?? fallback;
  current = code;
}

/** Load `code`, set lang/dir on the page and fill every element marked with data-i18n. */
export async function useLanguage(code) {
  await loadLanguage(code);
  localStorage.setItem(STORAGE_KEY, code);
  document.documentElement.lang = code;
  document.documentElement.dir = RTL.has(code) ? 'rtl' : 'ltr';
  document.title = t('site_title');
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n);
  }
  for (const link of document.querySelectorAll('a[data-page]')) {
    link.href = pageIn(link.dataset.page, code);
    link.hreflang = code;
  }
}

/** A text page that exists in every UI language: German at `/name.html`, others at `/name.<code>.html`. */
function pageIn(name, code) {
  return code === 'de' ? `/${name}.html` : `/${name}.${code}.html`;
}

/** The catalog text for `key`, or `fallbackText` when no catalog has one (a code we do not know). */
function known(key, fallbackText) {
  const text = t(key);
  return text === key ? fallbackText : text;
}

/**
 * The words for a code the server sends (`kind` status, source, reason, response, action,
 * audit_field; catalog keys `planner_<kind>_<code>`); the code itself when no catalog knows it.
 */
export function codeLabel(kind, code) {
  return known(`planner_${kind}_${code}`, String(code));
}

/** A text given per language, in the page's language when there, else German. */
export function localText(texts) {
  return (texts && (texts[current] || texts.de)) || '';
}

/** A UTC timestamp as a local date in Heeren (Europe/Berlin), in the UI language. */
export function formatDate(iso) {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeZone: ZONE }).format(new Date(iso));
}

/** Date and time in Heeren, where the order within a day matters (the audit trail). */
export function formatMoment(iso) {
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short', timeZone: ZONE }).format(new Date(iso));
}

/** A UTC time as the value of a datetime-local input, in Heeren's time zone. */
export function toLocalInput(iso) {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
  return parts.replace(' ', 'T');
}

/** A datetime-local value, read as Heeren's time, as an ISO UTC time. */
export function fromLocalInput(value) {
  const asUtc = new Date(`${value}:00Z`);
  const shown = new Date(`${toLocalInput(asUtc.toISOString())}:00Z`);
  return new Date(asUtc.getTime() - (shown.getTime() - asUtc.getTime())).toISOString();
}

/** A place's name: German as on the street signs, translated only on the English page. */
export function placeLabel(item) {
  return current === 'en' ? item.label_en || item.label : item.label;
}

/**
 * Start the page in its language and wire the chooser `select` with the `offered` languages;
 * `changed(code)` runs after each switch, once the new catalog is in use.
 */
export async function startLanguages(select, offered, changed) {
  await useLanguage(initialLanguage(offered));
  select.replaceChildren(...offered.map((code) => el('option', { value: code, lang: code }, ENDONYMS[code] || code)));
  select.value = current;
  select.addEventListener('change', async (event) => {
    await useLanguage(event.target.value);
    changed(event.target.value);
  });
}
