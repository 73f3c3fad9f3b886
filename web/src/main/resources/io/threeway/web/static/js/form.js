// The run form, built from the server's list of scenarios and their parameters. Its values are the URL's
// query, so a link reproduces the run; the server checks them as the CLI does and names the wrong fields.
import { html } from './util.js';

export class RunForm {
  constructor(form, catalogue, onRun) {
    this.form = form; this.cat = catalogue; this.onRun = onRun;
    this.select = form.querySelector('#f-scenario');
    for (const s of catalogue.scenarios) html('option', { value: s.name }, s.name, this.select);
    const common = form.querySelector('#common-fields');
    for (const c of catalogue.common) if (c.name !== 'sysctl') this.field(common, c, 'common');
    this.select.addEventListener('change', () => this.scenarioChanged({}));
    form.addEventListener('submit', (e) => { e.preventDefault(); this.onRun(this.values()); });
  }

  field(parent, p, kind) {
    const box = html('div', { class: 'field', 'data-field': p.name }, null, parent);
    html('label', { for: `f-${p.name}` }, p.name, box);
    html('input', { id: `f-${p.name}`, name: p.name, type: 'text', placeholder: p.default, 'data-kind': kind,
      'aria-describedby': `h-${p.name}` }, null, box);
    html('p', { class: 'help', id: `h-${p.name}` }, `${p.description}${p.default !== '' ? ` (default ${p.default})` : ''}`, box);
    html('p', { class: 'error', 'data-error-for': p.name, role: 'alert' }, '', box);
  }

  scenarioChanged(values) {
    const s = this.cat.scenarios.find(x => x.name === this.select.value);
    this.form.querySelector('#scenario-summary').textContent = s ? s.summary : '';
    const box = this.form.querySelector('#scenario-fields');
    box.replaceChildren();
    if (s && s.parameters.length) html('h2', {}, `${s.name}'s options`, box);
    if (s) for (const p of s.parameters) this.field(box, p, 'param');
    for (const [k, v] of Object.entries(values)) { const i = this.form.elements[k]; if (i && k !== 'scenario') i.value = v; }
  }

  /** Fills the form from a URL's query (scenario first, so its fields exist). */
  fill(params) {
    if (params.scenario && this.cat.scenarios.some(s => s.name === params.scenario)) this.select.value = params.scenario;
    this.scenarioChanged(params);
  }

  values() {
    const out = { scenario: this.select.value };
    for (const el of this.form.querySelectorAll('input[name], textarea[name]')) if (el.value.trim()) out[el.name] = el.value.trim();
    return out;
  }

  /** Shows the server's per-field messages; those for no field go under the button. */
  showErrors(message, fields) {
    this.clearErrors();
    let placed = false;
    for (const [name, text] of Object.entries(fields || {})) {
      const slot = this.form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
      if (slot) { slot.textContent = text; slot.closest('.field')?.classList.add('invalid'); placed = true; }
    }
    this.form.querySelector('#form-error').textContent = placed && message === 'the run\'s options are not valid' ? message : message;
  }

  clearErrors() {
    for (const e of this.form.querySelectorAll('.error')) e.textContent = '';
    for (const f of this.form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
  }
}
