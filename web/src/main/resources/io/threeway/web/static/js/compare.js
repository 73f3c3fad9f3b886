// Compare two runs side by side: the key figures of both in one table, differences marked.
import { html } from './util.js';
import { get } from './api.js';
import { figures } from './findings.js';

export class Compare {
  constructor(el, app) {
    this.el = el; this.app = app; this.left = null;
    const form = html('form', { class: 'compare-form' }, null, el);
    html('label', { for: 'compare-query' }, 'Compare the run shown with the run', form);
    this.input = html('input', { id: 'compare-query', type: 'text', placeholder: 'scenario=syn-flood&seed=1&sysctl=net.ipv4.tcp_syncookies=0' }, null, form);
    html('button', { type: 'submit' }, 'Run and compare', form);
    this.msg = html('p', { class: 'error', role: 'alert' }, '', el);
    this.table = html('div', { class: 'compare' }, null, el);
    form.addEventListener('submit', (e) => { e.preventDefault(); this.against(this.input.value); });
  }

  /** The run now shown becomes the left-hand side; the field proposes the same run with one thing changed. */
  offer(run) {
    if (this.busy) return;
    this.left = run;
    if (run.kind === 'run') this.input.value = new URLSearchParams(run.query).toString();
  }

  async against(q) {
    this.msg.textContent = '';
    if (!this.left) { this.msg.textContent = 'Run something first.'; return; }
    this.busy = true;
    try {
      const right = await get('/api/run?' + q.replace(/^\?/, ''));
      this.render(this.left, right);
    } catch (e) { this.msg.textContent = e.message; }
    finally { this.busy = false; }
  }

  render(a, b) {
    const fa = figures(a), fb = figures(b);
    this.table.replaceChildren();
    const t = html('table', { 'aria-label': 'Key figures of two runs' }, null, this.table);
    const head = html('tr', {}, null, t);
    html('th', {}, 'figure', head);
    html('th', {}, `run ${a.id}: ${describe(a)}`, head);
    html('th', {}, `run ${b.id}: ${describe(b)}`, head);
    for (const key of new Set([...fa.keys(), ...fb.keys()])) {
      const x = fa.get(key), y = fb.get(key);
      const tr = html('tr', { class: JSON.stringify(x) !== JSON.stringify(y) ? 'diff' : '' }, null, t);
      html('td', {}, key, tr);
      html('td', { class: 'num' }, x ? `${x[0]}${x[1] ? ' ' + x[1] : ''}` : '–', tr);
      html('td', { class: 'num' }, y ? `${y[0]}${y[1] ? ' ' + y[1] : ''}` : '–', tr);
    }
  }
}

function describe(r) { return Object.entries(r.query || {}).map(([k, v]) => `${k}=${v}`).join(' '); }
