// The scenario's findings: the same figures, from the same run, as its --json.
import { html } from './util.js';

export function renderFindings(el, run) {
  el.replaceChildren();
  if (!run) return;
  const f = run.findings;
  if (run.kind !== 'run') { html('p', { class: 'muted' }, 'A capture file has no findings; the plots and the ladder show what it holds.', el); return; }
  if (f && Array.isArray(f.results)) {
    for (const g of f.results) {
      html('h3', {}, g.variant || run.title, el);
      const t = html('table', {}, null, el);
      for (const [label, fig] of Object.entries(g.figures)) {
        const tr = html('tr', {}, null, t);
        html('td', {}, fig.label || label, tr);
        html('td', { class: 'num', 'data-key': label }, fig.value === null ? '-' : `${fig.value}${fig.unit ? ' ' + fig.unit : ''}`, tr);
      }
    }
  } else if (f && typeof f === 'object') {
    flat(el, f, '');
  } else {
    html('pre', {}, String(f), el);
  }
  html('p', { class: 'muted small' }, `exit status ${run.exit}`, el);
}

/** A JSON report of another shape (the handshake's): its scalar figures, long arrays left out. */
function flat(el, obj, prefix) {
  const t = html('table', {}, null, el);
  const walk = (o, p) => {
    for (const [k, v] of Object.entries(o)) {
      if (Array.isArray(v)) continue;
      if (v && typeof v === 'object') { walk(v, `${p}${k}.`); continue; }
      const tr = html('tr', {}, null, t);
      html('td', {}, p + k, tr);
      html('td', { class: 'num', 'data-key': p + k }, String(v), tr);
    }
  };
  walk(obj, prefix);
}

/** The figures of a run, flattened: label -> [value, unit], for the comparison table. */
export function figures(run) {
  const out = new Map();
  const f = run && run.findings;
  if (f && Array.isArray(f.results)) {
    for (const g of f.results) for (const [label, fig] of Object.entries(g.figures)) out.set(`${g.variant}: ${fig.label || label}`, [fig.value, fig.unit]);
  } else if (f && typeof f === 'object') {
    const walk = (o, p) => { for (const [k, v] of Object.entries(o)) { if (Array.isArray(v)) continue; if (v && typeof v === 'object') walk(v, `${p}${k}.`); else out.set(p + k, [v, '']); } };
    walk(f, '');
  }
  return out;
}
