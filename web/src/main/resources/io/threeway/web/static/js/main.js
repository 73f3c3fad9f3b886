// The web lab's page: one run, one time cursor, many views kept in step.
import { get, post, query, ApiError } from './api.js';
import { html, secs, parseTime, download, svgFile } from './util.js';
import { prepare, lineOf, needLines, SEND, TRANSITION } from './model.js';
import { Ladder } from './ladder.js';
import { renderStates } from './states.js';
import { renderInspector } from './inspector.js';
import { renderTools } from './tools.js';
import { renderFindings } from './findings.js';
import { Plots } from './plots.js';
import { Compare } from './compare.js';
import { Live } from './live.js';

const $ = (id) => document.getElementById(id);
/** Lines the tcpdump tab shows at once. */
const TCPDUMP_WINDOW = 2000;

class App {
  constructor() {
    this.run = null; this.vi = 0; this.v = null; this.conv = -1; this.cursor = -1; this.packet = -1;
    this.ladder = new Ladder($('ladder'), this);
    this.plots = new Plots($('pane-plots'), this);
    this.timer = null;
  }

  async start() {
    this.wireControls();
    let cat;
    try { cat = await get('/api/scenarios'); } catch (e) { this.banner(`The lab's server did not answer: ${e.message}`, true); return; }
    this.catalogue = cat;
    const { RunForm } = await import('./form.js');
    this.form = new RunForm($('run-form'), cat, (values) => this.submit(values));
    this.compare = new Compare($('pane-compare'), this);
    this.live = new Live(this);
    const params = Object.fromEntries(new URLSearchParams(location.search));
    const all = new URLSearchParams(location.search).getAll('sysctl');
    if (all.length) params.sysctl = all.join('\n');
    this.form.fill(params);
    if (params.live !== undefined) this.live.start();
    else if (params.scenario) this.execute(params, false);
    window.addEventListener('popstate', () => location.reload());
  }

  wireControls() {
    $('first').onclick = () => this.step(-Infinity);
    $('prev').onclick = () => this.step(-1);
    $('next').onclick = () => this.step(1);
    $('last').onclick = () => this.step(Infinity);
    $('play').onclick = () => this.togglePlay();
    $('speed').onchange = () => { if (this.timer) { this.stopPlay(); this.startPlay(); } };
    $('jump').addEventListener('keydown', (e) => { if (e.key === 'Enter') this.jump($('jump').value); });
    $('variant').onchange = () => this.selectVariant(+$('variant').value);
    $('conv').onchange = () => this.selectConv(+$('conv').value);
    this.labelMode = 'rel';
    $('labels').onchange = () => { this.labelMode = $('labels').value; this.ladder.draw(); };
    document.addEventListener('keydown', (e) => this.key(e));
    $('pcap-file').addEventListener('change', (e) => this.openPcap(e.target.files[0]));
    $('export-json').onclick = () => { if (this.run) location.href = `/api/runs/${this.run.id}/export.json`; };
    $('export-pcap').onclick = () => { if (this.run) location.href = `/api/runs/${this.run.id}/export.pcap?v=${this.vi}`; };
    $('export-ladder').onclick = () => { const s = this.ladder.svgElement(); if (s) download(`ladder-${this.run.title}.svg`, svgFile(s), 'image/svg+xml'); };
    for (const tab of document.querySelectorAll('[role=tab]')) tab.addEventListener('click', () => this.tab(tab));
  }

  key(e) {
    const tag = (e.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || tag === 'select') return;
    if (tag === 'button' && (e.key === ' ' || e.key === 'Enter')) return; // the button's own click does it
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') { this.step(1); e.preventDefault(); }
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') { this.step(-1); e.preventDefault(); }
    else if (e.key === ' ') { this.togglePlay(); e.preventDefault(); }
    else if (e.key === 'Home') { this.step(-Infinity); e.preventDefault(); }
    else if (e.key === 'End') { this.step(Infinity); e.preventDefault(); }
  }

  tab(tab) {
    for (const t of document.querySelectorAll('[role=tab]')) {
      const on = t === tab; t.setAttribute('aria-selected', on); $(t.getAttribute('aria-controls')).hidden = !on;
    }
    if (!$('pane-plots').hidden) this.plots.show();
    this.refreshPanes();
  }

  banner(text, error) { const b = $('banner'); b.hidden = !text; b.textContent = text || ''; b.classList.toggle('error', !!error); }

  async submit(values) {
    history.pushState(null, '', '/?' + query(values));
    await this.execute(values, true);
  }

  async execute(values, fromForm) {
    this.form.clearErrors();
    this.banner('');
    document.body.classList.add('busy');
    $('run-button').disabled = true;
    $('run-title').textContent = `running ${values.scenario}…`;
    try {
      const run = await get('/api/run?' + query(values));
      this.show(run);
    } catch (e) {
      const fields = e instanceof ApiError ? e.fields : {};
      this.form.showErrors(e.message, fields);
      this.banner(e.message, true);
      $('run-title').textContent = 'the run did not start; see the message';
      void fromForm;
    } finally {
      document.body.classList.remove('busy');
      $('run-button').disabled = false;
    }
  }

  async openPcap(file) {
    if (!file) return;
    this.banner('');
    try {
      const t0 = performance.now();
      // The file itself as the body: the browser streams it from disk (no copy of it in the page's memory).
      const run = await post(`/api/pcap?name=${encodeURIComponent(file.name)}`, file);
      const t1 = performance.now();
      this.show(run);
      this.timings = { load: t1 - t0, show: performance.now() - t1 };
    } catch (e) { this.banner(e.message, true); }
    $('pcap-file').value = '';
  }

  /** A new run (or file) to show. */
  show(run) {
    this.stopPlay();
    this.run = run;
    run.variants.forEach((v, i) => prepare(v, run.id, i));
    const sel = $('variant'); sel.replaceChildren();
    run.variants.forEach((v, i) => html('option', { value: i }, v.name || run.title, sel));
    sel.disabled = run.variants.length < 2;
    const q = run.query && Object.keys(run.query).length ? Object.entries(run.query).map(([k, v]) => `${k}=${v.replace(/\n/g, ',')}`).join(' ') : run.title;
    $('run-title').textContent = `${run.kind === 'pcap' ? 'file' : 'run'} ${run.id}: ${q}`;
    for (const b of ['export-json', 'export-pcap', 'export-ladder']) $(b).disabled = false;
    renderFindings($('findings'), run);
    document.body.dataset.run = run.id;
    this.selectVariant(0);
    if (this.compare) this.compare.offer(run);
  }

  selectVariant(i) {
    this.vi = i; this.v = this.run.variants[i];
    const notes = this.v.notes || [];
    if (notes.length) this.banner(notes.join(' '));
    const sel = $('conv'); sel.replaceChildren();
    html('option', { value: -1 }, `all (${this.v.convs.length})`, sel);
    for (const c of this.v.convs) html('option', { value: c.id }, `${c.a[1]}:${c.a[2]} ⇄ ${c.b[1]}:${c.b[2]}`, sel);
    const pick = this.v.convs.length === 1 ? 0 : -1;
    sel.value = pick;
    this.packet = -1;
    this.selectConv(pick, true);
    if (this.v.packets.length && this.packet < 0) this.selectPacket(0, false);
  }

  selectConv(c, fresh) {
    this.conv = c;
    this.ladder.setData(this.v, c);
    if (fresh) this.cursor = this.ladder.rows.length ? this.ladder.rows[0] : -1;
    this.plots.setData(this.run, this.v, c);
    this.cursorMoved();
  }

  /** Moves the cursor by {@code delta} visible events (±Infinity: to the ends). */
  step(delta) {
    const rows = this.ladder.rows; if (!rows || !rows.length) return;
    let r = this.ladder.rowOf.get(this.cursor);
    if (r === undefined) r = 0;
    r = delta === -Infinity ? 0 : delta === Infinity ? rows.length - 1 : Math.max(0, Math.min(rows.length - 1, r + delta));
    this.setCursor(rows[r]);
  }

  setCursor(k) {
    this.cursor = k;
    const e = this.v.events[k];
    if (e && e[1] !== TRANSITION && this.packet !== e[2]) this.selectPacket(e[2], false);
    this.cursorMoved();
    this.ladder.reveal();
  }

  /** Jumps to the first visible event at or after a typed time. */
  jump(text) {
    const t = parseTime(text);
    if (Number.isNaN(t)) { this.banner(`'${text}' is not a time: write e.g. 0.25s, 250ms or 1.5`, true); return; }
    this.banner('');
    const rows = this.ladder.rows;
    const r = rows.findIndex(k => this.v.events[k][0] >= t);
    this.setCursor(rows[r < 0 ? rows.length - 1 : r]);
  }

  /** A packet chosen (click on the ladder or a plot): the inspector shows it, the cursor goes to its send. */
  selectPacket(i, moveCursor) {
    this.packet = i;
    const p = this.v.packets[i];
    renderInspector($('inspector'), this.run.id, this.vi, p);
    if (moveCursor) { this.cursor = this.v._send[i]; this.cursorMoved(); this.ladder.reveal(); }
    else this.ladder.draw(); // the chosen arrow is drawn bold
  }

  cursorMoved() {
    const k = this.cursor, e = this.v && this.v.events[k];
    this.ladder.draw();
    renderStates($('states'), this.v, this.conv, k);
    const row = this.ladder.rowOf.get(k);
    $('cursor-text').textContent = e ? `event ${row === undefined ? '–' : row + 1} of ${this.ladder.rows.length} at ${secs(e[0])} s` : '';
    document.body.dataset.cursor = k;
    this.plots.cursor(e ? e[0] : 0);
    this.refreshPanes();
  }

  refreshPanes() {
    if (!this.v) return;
    if (!$('pane-tools').hidden) renderTools($('pane-tools'), this.run, this.vi, this.cursor);
    if (!$('pane-tcpdump').hidden) this.renderTcpdump();
  }

  /** The tcpdump lines of the packets sent around the cursor (a window of TCPDUMP_WINDOW lines). */
  renderTcpdump() {
    const pane = $('pane-tcpdump'), v = this.v, rows = this.ladder.rows;
    const at = Math.max(0, this.ladder.rowOf.get(this.cursor) ?? 0);
    const sends = [];
    const from = rows.length > TCPDUMP_WINDOW ? Math.max(0, at - TCPDUMP_WINDOW / 4) : 0;
    for (let r = from; r < rows.length && sends.length < TCPDUMP_WINDOW; r++) {
      const e = v.events[rows[r]]; if (e[1] === SEND) sends.push(e[2]);
    }
    if (!sends.length) { pane.replaceChildren(); return; }
    const missing = sends.some(i => lineOf(v, i) === undefined);
    if (missing) needLines(v, Math.min(...sends), Math.max(...sends), () => { if (!pane.hidden && this.v === v) this.renderTcpdump(); });
    const lines = sends.map(i => { const p = v.packets[i], l = lineOf(v, i);
      return `${secs(p.t)} ${l === undefined ? '…' : l}${p.fate && p.fate !== 'delivered' ? `   [${p.why}]` : ''}`; });
    const head = rows.length > TCPDUMP_WINDOW ? `(${sends.length} packets around the cursor; move the cursor for others)\n` : '';
    pane.replaceChildren(html('pre', { class: 'tcpdump', 'data-first': sends[0] }, head + lines.join('\n')));
  }

  togglePlay() { if (this.timer) this.stopPlay(); else this.startPlay(); }

  startPlay() {
    const rate = +$('speed').value;
    $('play').textContent = '❚❚ pause'; $('play').setAttribute('aria-label', 'Pause');
    document.body.dataset.playing = 'on';
    this.timer = setInterval(() => {
      const rows = this.ladder.rows, r = this.ladder.rowOf.get(this.cursor) ?? -1;
      if (r >= rows.length - 1) { this.stopPlay(); return; }
      this.step(1);
    }, 1000 / rate);
  }

  stopPlay() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    $('play').textContent = '▶ play'; $('play').setAttribute('aria-label', 'Play');
    document.body.dataset.playing = 'off';
  }
}

const app = new App();
window.threeway = app; // for the browser tests and the curious
app.start();
