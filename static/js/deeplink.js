// The link a poster's QR code opens: /?c=SLUG&at=LON,LAT&via=poster-KEY. Read once; the poster's
// key goes with every pin sent on that consultation during this visit, and nothing else is kept.

const POSTER = /^poster-([a-z2-7]{8})$/;

/** What the address asks for: consultation slug, the spot [lon, lat] and the poster's key. */
export function readLink(href) {
  const params = new URL(href).searchParams;
  const parts = (params.get('at') || '').split(',').map(Number);
  const at = parts.length === 2 && parts.every(Number.isFinite)
    && Math.abs(parts[0]) <= 180 && Math.abs(parts[1]) <= 90 ? parts : null;
  const poster = POSTER.exec(params.get('via') || '')?.[1] || null;
  return { slug: params.get('c'), at, poster };
}

let arrival = { slug: null, poster: null };

/** Remember the poster the visit came from, for pins on its consultation. */
export function arrivedFrom(slug, poster) {
  arrival = { slug, poster };
}

/** The poster key to send with a pin on consultation `slug`, if the visit came from one. */
export function posterFor(slug) {
  return arrival.poster && arrival.slug === slug ? arrival.poster : null;
}
