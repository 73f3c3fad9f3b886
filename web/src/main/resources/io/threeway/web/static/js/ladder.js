// The ladder diagram: one vertical line per host, time going down, one arrow per packet from the moment
// it left to the moment it arrived (or a cross mid-flight where it was dropped). Each event of the run has
// its own row, so packets sent at the same instant stay readable; long idle gaps are folded. Only the rows
// in view are drawn, so a run of 100,000 segments scrolls without freezing.
import { svg, secs, dur } from './util.js';
import { SEND, TRANSITION, visibleEvents, shortLabel, lineOf, needLines } from './model.js';

const TOP = 46, ROW = 18, LEFT = 84, INSET = 110, MAX_GAP = 110, FOLD = 34;

export class Ladder {
  constructor(el, app) {
    this.el = el; this.app = app;
    el.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.layout()).observe(el);
  }

  /** A new variant or connection filter: recompute rows. */
  setData(v, conv) {
    this.v = v; this.conv = conv;
    this.rows = visibleEvents(v, conv);
    this.rowOf = new Map(this.rows.map((k, r) => [k, r]));
    this.hosts = this.usedHosts();
    this.layoutRows();
    this.layout();
  }

  usedHosts() {
    const used = new Set();
    for (const k of this.rows) {
      const e = this.v.events[k];
      if (e[1] !== TRANSITION) { const p = this.v.packets[e[2]]; used.add(p.f); used.add(p.to); }
      else used.add(this.v.endpoints[this.v.transitions[e[2]].ep].host);
    }
    const order = this.v.hosts.filter(h => used.has(h));
    for (const h of used) if (!order.includes(h)) order.push(h);
    return order;
  }

  /** y of every row: time-proportional between rows, at least ROW apart when time moves, folded when idle. */
  layoutRows() {
    const ev = this.v.events, n = this.rows.length;
    const flights = this.v.packets.filter(p => p.ta > p.t).map(p => p.ta - p.t).sort((a, b) => a - b);
    const typical = flights.length ? flights[flights.length >> 1] : 1e8;
    this.typical = typical;
    const perNs = 70 / typical;
    this.y = new Float64Array(n); this.folds = [];
    let y = TOP + 14;
    for (let r = 0; r < n; r++) {
      if (r > 0) {
        const dt = ev[this.rows[r]][0] - ev[this.rows[r - 1]][0];
        let dy = dt <= 0 ? ROW : Math.max(ROW, dt * perNs);
        if (dy > MAX_GAP) { this.folds.push([y, y + FOLD, dt]); dy = FOLD; }
        y += dy;
      }
      this.y[r] = y;
    }
    this.height = y + 60;
  }

  layout() {
    if (!this.v) return;
    this.width = Math.max(this.el.clientWidth - 2, 480);
    const n = this.hosts.length, span = this.width - LEFT - 2 * INSET;
    this.x = new Map(this.hosts.map((h, i) => [h, LEFT + INSET + (n === 1 ? span / 2 : i * span / (n - 1))]));
    this.draw();
  }

  schedule() { if (!this.pending) { this.pending = true; requestAnimationFrame(() => { this.pending = false; this.draw(); }); } }

  /** Row index at or after y. */
  rowAt(y) { let lo = 0, hi = this.rows.length - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (this.y[m] < y) lo = m + 1; else hi = m; } return lo; }

  draw() {
    const v = this.v; if (!v) return;
    const top = this.el.scrollTop - 200, bottom = this.el.scrollTop + this.el.clientHeight + 200;
    const root = svg('svg', { width: this.width, height: this.height, role: 'img', 'aria-label': 'Ladder diagram', id: 'ladder-svg' });
    this.drawFrame(root, top, bottom);
    const cursorEvent = this.app.cursor;
    const layer = svg('g', {}, root);
    const first = Math.max(0, this.rowAt(top) - 1), last = Math.min(this.rows.length - 1, this.rowAt(bottom));
    const drawn = new Set();
    // Arrows that started above the view but land in it, or cross it.
    for (let r = first; r <= last; r++) {
      const k = this.rows[r], e = v.events[k];
      if (e[1] === TRANSITION) { this.drawTransition(layer, r, e); continue; }
      if (drawn.has(e[2])) continue;
      drawn.add(e[2]);
      this.drawPacket(layer, e[2], cursorEvent);
    }
    for (const i of this.crossing(first)) if (!drawn.has(i)) { drawn.add(i); this.drawPacket(layer, i, cursorEvent); }
    this.drawCursor(root);
    this.drawHeader(root, top + 200);
    this.el.replaceChildren(root);
    this.el.dataset.first = first; this.el.dataset.last = last;
    // The labels are tcpdump's lines, loaded a chunk at a time as rows come into view.
    if (drawn.size) needLines(v, Math.min(...drawn), Math.max(...drawn), () => this.schedule());
  }

  /** Packets sent before row {@code first} that arrive after it (long flights crossing the view). */
  crossing(first) {
    const out = [];
    for (let r = first - 1; r >= 0 && r > first - 400; r--) {
      const e = this.v.events[this.rows[r]];
      if (e[1] !== SEND) continue;
      const a = this.v._arrive[e[2]];
      if (a >= 0 && this.rowOf.has(a) && this.rowOf.get(a) >= first) out.push(e[2]);
    }
    return out;
  }

  drawFrame(root, top, bottom) {
    for (const h of this.hosts) {
      const x = this.x.get(h);
      svg('line', { x1: x, x2: x, y1: TOP, y2: this.height - 20, class: 'host-line' }, root);
    }
    for (const [y0, y1, dt] of this.folds) {
      if (y1 < top || y0 > bottom) continue;
      svg('rect', { x: LEFT, y: y0 + 4, width: this.width - LEFT - 10, height: y1 - y0 - 8, fill: '#f0f2f5' }, root);
      const t = svg('text', { x: LEFT + 6, y: (y0 + y1) / 2 + 4, class: 'gap' }, root);
      t.textContent = `⋯ ${dur(dt)} later ⋯`;
    }
    let lastTick = -1e9;
    for (let r = Math.max(0, this.rowAt(top)); r < this.rows.length && this.y[r] <= bottom; r++) {
      if (this.y[r] - lastTick < 16) continue;
      lastTick = this.y[r];
      const t = svg('text', { x: 6, y: this.y[r] + 4, class: 'tick' }, root);
      t.textContent = secs(this.v.events[this.rows[r]][0]);
    }
  }

  /** The hosts' names, kept at the top of the view over a band that hides the rows scrolling under it. */
  drawHeader(root, viewTop) {
    const y = Math.max(TOP - 14, viewTop + 14);
    svg('rect', { x: 0, y: y - 14, width: this.width, height: 20, class: 'host-band' }, root);
    for (const h of this.hosts) {
      const t = svg('text', { x: this.x.get(h), y, class: 'host-name' }, root); t.textContent = h;
    }
  }

  /** y of a moment between rows, interpolated (folds included). */
  yAtTime(t) {
    const ev = this.v.events, rows = this.rows;
    let lo = 0, hi = rows.length - 1;
    while (lo < hi) { const m = (lo + hi + 1) >> 1; if (ev[rows[m]][0] <= t) lo = m; else hi = m - 1; }
    if (lo >= rows.length - 1) return this.y[rows.length - 1] + ROW;
    const t0 = ev[rows[lo]][0], t1 = ev[rows[lo + 1]][0];
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    return this.y[lo] + f * (this.y[lo + 1] - this.y[lo]);
  }

  yOfEvent(k) { const r = this.rowOf.get(k); return r === undefined ? null : this.y[r]; }

  drawPacket(layer, i, cursorEvent) {
    const v = this.v, p = v.packets[i];
    const x1 = this.x.get(p.f), x2 = this.x.get(p.to);
    const y1 = this.yOfEvent(v._send[i]);
    if (x1 === undefined || x2 === undefined || y1 === null) return;
    const lost = p.fate && p.fate !== 'delivered';
    let y2 = lost ? this.yAtTime(p.t + this.typical / 2) : this.yOfEvent(v._arrive[i]);
    if (y2 === null) y2 = y1;
    let xe = x2;
    if (lost) { xe = (x1 + x2) / 2; y2 = Math.max(y2, y1 + ROW); } // mid-flight, where it was dropped
    const cls = ['pkt', `d${p.d || 0}`];
    if (p.re) cls.push('rtx'); if (p.pr) cls.push('probe'); if (lost) cls.push('lost');
    if (i === this.app.packet) cls.push('sel');
    if (v._send[i] > cursorEvent) cls.push('future');
    const g = svg('g', { class: cls.join(' '), 'data-packet': i, 'data-flags': p.fl || '', tabindex: -1 }, layer);
    svg('line', { x1, y1, x2: xe, y2, class: 'hit' }, g);
    svg('line', { x1, y1, x2: xe, y2, class: 'arrow', }, g);
    if (!lost) this.arrowHead(g, x1, y1, xe, y2);
    else {
      svg('path', { d: `M${xe - 6} ${y2 - 6}L${xe + 6} ${y2 + 6}M${xe + 6} ${y2 - 6}L${xe - 6} ${y2 + 6}`, class: 'drop' }, g);
      const w = svg('text', { x: xe + 10, y: y2 + 4, class: 'drop-why' }, g); w.textContent = p.why || p.fate;
    }
    const mx = (x1 + xe) / 2, my = (y1 + y2) / 2;
    const label = svg('text', { x: mx, y: my - 5, class: 'label', 'text-anchor': 'middle',
      transform: `rotate(${readable(Math.atan2(y2 - y1, xe - x1) * 180 / Math.PI)} ${mx} ${my})` }, g);
    const line = lineOf(v, i);
    label.textContent = shortLabel(p, line, this.app.labelMode);
    const tagText = p.re ? 'retransmission' : p.pr ? p.pr : v._cookie.has(i) ? 'SYN cookie' : null;
    if (tagText) {
      // On the sender's outer side, clear of the arrows' labels.
      const tag = svg('text', { x: x1 + (x2 > x1 ? -8 : 8), y: y1 + 4, class: 'tag', 'text-anchor': x2 > x1 ? 'end' : 'start',
        fill: p.re ? '#8a3d6b' : p.pr ? '#006b50' : '#0072B2' }, g);
      tag.textContent = tagText;
    }
    const title = svg('title', {}, g); title.textContent = `${secs(p.t)} ${line || ''}${lost ? `\n${p.why}` : ''}`;
    g.addEventListener('click', () => this.app.selectPacket(i, true));
  }

  arrowHead(g, x1, y1, x2, y2) {
    const a = Math.atan2(y2 - y1, x2 - x1), s = 8;
    const p1 = [x2 - s * Math.cos(a - 0.4), y2 - s * Math.sin(a - 0.4)], p2 = [x2 - s * Math.cos(a + 0.4), y2 - s * Math.sin(a + 0.4)];
    svg('path', { d: `M${x2} ${y2}L${p1[0]} ${p1[1]}L${p2[0]} ${p2[1]}Z`, class: 'head' }, g);
  }

  drawTransition(layer, r, e) {
    const t = this.v.transitions[e[2]], ep = this.v.endpoints[t.ep];
    const x = this.x.get(ep.host); if (x === undefined) return;
    const y = this.y[r];
    svg('circle', { cx: x, cy: y, r: 3.5, class: 'tr-dot' }, layer);
    const left = this.hosts.indexOf(ep.host) < this.hosts.length / 2;
    const txt = svg('text', { x: left ? x - 8 : x + 8, y: y + 4, class: 'tr-label', 'text-anchor': left ? 'end' : 'start',
      'data-transition': e[2] }, layer);
    txt.textContent = t.to;
    const title = svg('title', {}, txt); title.textContent = `${t.from} → ${t.to}: ${t.cause}`;
  }

  drawCursor(root) {
    const k = this.app.cursor; if (k < 0) return;
    let r = this.rowOf.get(k);
    if (r === undefined) { r = this.rows.findIndex(x => x > k) - 1; if (r < 0) return; }
    const y = this.y[r];
    svg('rect', { x: 0, y: y - ROW / 2, width: this.width, height: ROW, class: 'cursor-band' }, root);
    svg('line', { x1: LEFT - 6, x2: this.width, y1: y, y2: y, class: 'cursor', 'data-cursor': k }, root);
  }

  /** Scrolls so that the cursor's row is in view. */
  reveal() {
    const r = this.rowOf.get(this.app.cursor); if (r === undefined) return;
    const y = this.y[r], top = this.el.scrollTop, h = this.el.clientHeight;
    if (y < top + 60 || y > top + h - 60) this.el.scrollTop = Math.max(0, y - h / 3);
  }

  svgElement() { return this.el.querySelector('svg'); }
}

/** An angle in degrees turned so that text along it reads left to right. */
function readable(deg) { return deg > 90 ? deg - 180 : deg < -90 ? deg + 180 : deg; }
