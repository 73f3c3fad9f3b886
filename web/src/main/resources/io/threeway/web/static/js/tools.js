// ss -tani and nstat -a at the cursor, printed by the server with the CLI's own formatters; counters that
// changed at this step are marked.
import { html, secs } from './util.js';
import { get } from './api.js';

let pending = 0;

export async function renderTools(el, run, vi, k) {
  const mine = ++pending;
  if (!run || run.kind === 'pcap') {
    el.replaceChildren(html('p', { class: 'muted' }, 'The socket table and counters come from a recorded run (a capture file has none).'));
    return;
  }
  let d;
  try { d = await get(`/api/runs/${run.id}/tools?v=${vi}&e=${Math.max(0, k)}`); }
  catch (e) { el.replaceChildren(html('p', { class: 'error' }, e.message)); return; }
  if (mine !== pending) return;
  el.replaceChildren();
  if (d.note) html('p', { class: 'muted' }, d.note, el);
  const grid = html('div', { class: 'tools-grid' }, null, el);
  for (const h of d.hosts) {
    const box = html('div', { 'data-host': h.host }, null, grid);
    html('h3', {}, `${h.host} at ${secs(h.time)}: ss -tani`, box);
    html('pre', { class: 'ss' }, h.ss.join('\n'), box);
    html('h3', {}, 'nstat -a (marked: changed at this step)', box);
    const pre = html('pre', { class: 'nstat' }, null, box);
    for (const line of h.nstat) {
      const name = line.split(/\s+/)[0];
      const delta = h.delta[name];
      const span = html('span', delta ? { class: 'changed' } : {}, line + (delta ? `   (+${delta})` : ''), pre);
      pre.appendChild(document.createTextNode('\n'));
      void span;
    }
  }
}
