// Building DOM from plain text: user text only ever lands in textContent.

/** Create `tag` with attributes/properties and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') element.className = value;
    else if (name === 'style') Object.assign(element.style, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

const announcer = () => document.getElementById('announcer');

/** Say `message` to screen readers through the polite live region. */
export function announce(message) {
  const region = announcer();
  region.textContent = '';
  // A fresh text node after a tick makes screen readers repeat an identical message.
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}
