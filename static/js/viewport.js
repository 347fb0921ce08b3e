// What the map asks the server for as it moves: rounded views, calm requests, fresh answers only.

export const STALE = Symbol('stale');

/** `fn` run once `ms` after the last of a burst of calls (a drag fires many moves). */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/**
 * Wrap the async `load` so that only the answer to the newest call counts: an older answer
 * that arrives later (a slow request for a view already left) resolves to STALE instead.
 */
export function latestOnly(load) {
  let newest = 0;
  return async (...args) => {
    const mine = ++newest;
    const result = await load(...args);
    return mine === newest ? result : STALE;
  };
}

/**
 * The bbox parameter of a view, widened outwards to `decimals` places (about 11 m at four),
 * so that views that differ by a pixel ask the same question (and get the same ETag).
 */
export function bboxParam(west, south, east, north, decimals = 4) {
  const scale = 10 ** decimals;
  const down = (v) => (Math.floor(v * scale) / scale).toFixed(decimals);
  const up = (v) => (Math.ceil(v * scale) / scale).toFixed(decimals);
  const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v));
  return [down(clamp(west, 180)), down(clamp(south, 90)), up(clamp(east, 180)), up(clamp(north, 90))].join(',');
}
