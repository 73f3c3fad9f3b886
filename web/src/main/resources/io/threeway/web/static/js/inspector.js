// The segment inspector: header fields, the bytes in hex with the chosen field highlighted, and the
// arithmetic in words.
import { html, secs } from './util.js';
import { get } from './api.js';

let latest = 0;

export async function renderInspector(el, runId, vi, p) {
  const mine = ++latest;
  el.replaceChildren(html('p', { class: 'muted' }, 'Loading…'));
  let d;
  try { d = await get(`/api/runs/${runId}/packet?v=${vi}&i=${p.i}`); }
  catch (e) { if (mine === latest) el.replaceChildren(html('p', { class: 'error' }, e.message)); return; }
  if (mine !== latest) return; // a later choice is on its way
  el.replaceChildren();
  html('div', { class: 'line', 'data-packet': p.i }, `${secs(p.t)} ${d.line}`, el);
  if (p.fate && p.fate !== 'delivered') html('p', { class: 'fate' }, `Never arrived: ${d.fate}.`, el);
  else if (p.ta > p.t) html('p', { class: 'muted small' }, `In flight ${((p.ta - p.t) / 1e6).toFixed(3)} ms, arrived at ${secs(p.ta)}.`, el);
  const ul = html('ul', { class: 'explain' }, null, el);
  const table = html('table', { 'aria-label': 'Header fields' }, null, el);
  const hex = html('div', { class: 'hex', 'aria-label': 'Packet bytes in hex' }, null, el);
  const bytes = d.hex.split(' ');
  const spans = [];
  for (let r = 0; r < bytes.length; r += 16) {
    const row = html('div', { class: 'row' }, null, hex);
    html('span', { class: 'off' }, r.toString(16).padStart(4, '0'), row);
    for (let i = r; i < Math.min(r + 16, bytes.length); i++) {
      spans.push(html('span', { class: 'b', 'data-offset': i }, bytes[i], row));
      if (i % 8 === 7) row.appendChild(document.createTextNode(' '));
      row.appendChild(document.createTextNode(' '));
    }
  }
  const rows = [];
  const select = (f) => {
    rows.forEach(r => r.tr.classList.toggle('sel', r.f === f));
    lis.forEach(l => l.li.classList.toggle('sel', l.x.field === f.name));
    spans.forEach((s, i) => s.classList.toggle('hl', i >= f.offset && i < f.offset + f.length));
    el.dataset.field = f.name;
  };
  for (const f of d.fields) {
    const tr = html('tr', { 'data-field': f.name, tabindex: 0 }, null, table);
    html('td', { class: 'layer' }, f.layer, tr);
    html('td', {}, f.name, tr);
    html('td', { class: 'val' }, f.value, tr);
    html('td', { class: 'muted' }, f.meaning, tr);
    tr.addEventListener('click', () => select(f));
    tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') select(f); });
    rows.push({ tr, f });
  }
  const lis = [];
  for (const x of d.explain) {
    const li = html('li', { 'data-field': x.field }, x.text, ul);
    li.addEventListener('click', () => { const f = d.fields.find(f => f.name === x.field); if (f) select(f); });
    lis.push({ li, x });
  }
  const flags = p.fl || '';
  const first = d.fields.find(f => f.name === (flags.includes('.') ? 'Acknowledgment Number' : 'Sequence Number'));
  if (first) select(first);
}
