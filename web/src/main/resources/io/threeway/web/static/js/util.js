// Small helpers: SVG and HTML elements, time and number formats.
export const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, parent) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

export function html(tag, attrs = {}, text, parent) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}

/** Seconds with up to six decimals, as tcpdump -tt prints them. */
export function secs(ns) { return (ns / 1e9).toFixed(6); }

/** A short duration: 40 ms, 1.2 s, 250 µs. */
export function dur(ns) {
  const a = Math.abs(ns);
  if (a >= 1e9) return `${+(ns / 1e9).toFixed(3)} s`;
  if (a >= 1e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  if (a >= 1e3) return `${+(ns / 1e3).toFixed(1)} µs`;
  return `${ns} ns`;
}

export function bytes(n) {
  if (n >= 1 << 20) return `${+(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Parses 250ms, 1.5s, 40us, 2m, or a plain number of seconds, into ns; NaN when it is not a time. */
export function parseTime(text) {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(ns|us|µs|ms|s|m|h)?\s*$/.exec(text || '');
  if (!m) return NaN;
  const unit = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[m[2] || 's'];
  return Math.round(parseFloat(m[1]) * unit);
}

/** Saves a text as a file the browser downloads. */
export function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = html('a', { href: url, download: name });
  document.body.appendChild(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An SVG element as a standalone file: its styles copied inline from the page's computed styles. */
export function svgFile(el) {
  const clone = el.cloneNode(true);
  const src = el.querySelectorAll('*'); const dst = clone.querySelectorAll('*');
  const keep = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-family', 'font-size', 'font-weight',
    'opacity', 'text-anchor', 'paint-order', 'font-style'];
  src.forEach((s, i) => {
    const cs = getComputedStyle(s);
    dst[i].setAttribute('style', keep.map(k => `${k}:${cs.getPropertyValue(k)}`).join(';'));
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const r = el.getBoundingClientRect();
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${r.width} ${r.height}`);
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
}
