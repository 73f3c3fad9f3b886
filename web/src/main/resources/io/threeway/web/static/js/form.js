// The run form, built from the lab's option catalogue as the server gives it (the same fields, defaults and
// checks as the command line). Its values are the URL's query, so a link reproduces the run; the server names
// the wrong fields and the form shows each message next to its field.
import { html } from './util.js';

/** Common fields shown at once; the other link options fold under "More". */
const FIRST = ['rtt', 'loss', 'seed'];

export class RunForm {
  constructor(form, catalogue, onRun) {
    this.form = form; this.cat = catalogue; this.onRun = onRun;
    this.select = form.querySelector('#f-scenario');
    for (const s of catalogue.scenarios) html('option', { value: s.name }, s.name, this.select);
    this.select.addEventListener('change', () => this.scenarioChanged({}));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.onRun(this.values()); });
  }

  scenario() { return this.cat.scenarios.find(x => x.name === this.select.value); }

  scenarioChanged(values) {
    const s = this.scenario();
    this.form.querySelector('#scenario-summary').textContent = s ? s.summary : '';
    const box = this.form.querySelector('#fields');
    box.replaceChildren();
    if (!s) return;
    const common = s.fields.filter(f => f.common && f.name !== 'sysctl');
    for (const f of common.filter(f => FIRST.includes(f.name))) this.field(box, f);
    const more = html('details', { class: 'more' }, null, box);
    html('summary', {}, 'More link options (jitter, reordering, bandwidth, queue, MTU, IPv6)', more);
    for (const f of common.filter(f => !FIRST.includes(f.name))) this.field(more, f);
    const own = s.fields.filter(f => !f.common);
    if (own.length) html('h2', {}, `${s.name}'s options`, box);
    for (const f of own) this.field(box, f);
    const sysctl = s.fields.find(f => f.name === 'sysctl');
    if (sysctl) this.field(box, sysctl);
    for (const [k, v] of Object.entries(values)) {
      const i = this.form.elements[k];
      if (!i || k === 'scenario') continue;
      if (i.type === 'checkbox') i.checked = /^(true|1|yes|on)$/i.test(v); else i.value = v;
      if (i.tagName === 'DETAILS') continue;
      if (i.closest('details')) i.closest('details').open = true;
    }
  }

  field(parent, f) {
    const box = html('div', { class: 'field', 'data-field': f.name }, null, parent);
    const id = `f-${f.name}`;
    const label = html('label', { for: id }, f.name, box);
    let input;
    if (f.kind === 'flag') {
      input = html('input', { id, name: f.name, type: 'checkbox' });
      label.prepend(input); label.classList.add('check');
    } else if (f.kind === 'choice') {
      input = html('select', { id, name: f.name }, null, box);
      html('option', { value: '' }, `default (${f.default})`, input);
      for (const c of f.choices) html('option', { value: c }, c, input);
    } else if (f.kind === 'setting') {
      label.textContent = 'Settings (sysctl, one NAME=VALUE a line)';
      input = html('textarea', { id, name: f.name, rows: 3, placeholder: 'net.ipv4.tcp_syncookies=0' }, null, box);
    } else {
      input = html('input', { id, name: f.name, type: 'text', placeholder: f.default }, null, box);
    }
    input.setAttribute('aria-describedby', `h-${f.name}`);
    if (f.refused) this.refuse(box, label, input, f);
    html('p', { class: 'help', id: `h-${f.name}` }, `${f.help}${f.default !== '' && f.kind !== 'choice' ? ` (default ${f.default})` : ''}`, box);
    html('p', { class: 'error', 'data-error-for': f.name, role: 'alert' }, '', box);
  }

  /**
   * A field the scenario refuses: shown so the user learns why, but not to be filled (disabled, marked, the reason
   * as its help and tooltip). A value a link gives it is still sent, so the server's refusal shows next to it.
   */
  refuse(box, label, input, f) {
    box.classList.add('refused');
    input.disabled = true;
    input.title = `Refused by ${this.select.value}: ${f.refused}`;
    if (f.kind !== 'flag' && f.kind !== 'choice') input.placeholder = 'refused';
    html('span', { class: 'refused-mark' }, 'refused', label);
  }

  /** Fills the form from a URL's query (scenario first, so its fields exist). */
  fill(params) {
    const name = params.scenario || 'handshake';
    if (this.cat.scenarios.some(s => s.name === name)) this.select.value = name;
    this.scenarioChanged(params);
  }

  values() {
    const out = { scenario: this.select.value };
    for (const el of this.form.querySelectorAll('#fields [name]')) {
      if (el.type === 'checkbox') { if (el.checked) out[el.name] = 'true'; }
      else if (el.value.trim()) out[el.name] = el.value.trim();
    }
    return out;
  }

  /** Shows the server's per-field messages; the run's message goes under the button. */
  showErrors(message, fields) {
    this.clearErrors();
    for (const [name, text] of Object.entries(fields || {})) {
      const slot = this.form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (!slot) continue;
      slot.textContent = text;
      const field = slot.closest('.field');
      field?.classList.add('invalid');
      const details = slot.closest('details'); if (details) details.open = true;
    }
    this.form.querySelector('#form-error').textContent = message;
  }

  clearErrors() {
    for (const e of this.form.querySelectorAll('.error')) e.textContent = '';
    for (const f of this.form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
  }
}
