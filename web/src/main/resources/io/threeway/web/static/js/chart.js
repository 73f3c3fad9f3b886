// One plot: SVG axes, step lines, points and bars; wheel to zoom time, drag to pan, double-click to reset,
// hover for the nearest point, click to move the lab's cursor there. Lines are thinned to a few points per
// pixel column and bars merged per column, so 100,000 segments draw at once.
import { svg, html, download, svgFile } from './util.js';

const M = { l: 64, r: 12, t: 10, b: 26 };

export class Chart {
  /**
   * @param parent  where the plot goes
   * @param title   its heading
   * @param layers  [{name, kind: 'step'|'line'|'points'|'bars', colour, data: [[x, y, (y2), (packet)]], dash}]
   * @param opts    {yLabel, yFormat, xFormat, onPick(x, packet), id}
   */
  constructor(parent, title, layers, opts) {
    this.layers = layers; this.opts = opts;
    this.box = html('div', { class: 'plot', 'data-plot': opts.id }, null, parent);
    const h = html('h3', {}, null, this.box);
    html('span', {}, title, h);
    html('span', { class: 'spacer' }, null, h);
    const reset = html('button', { type: 'button', 'aria-label': `Reset zoom of ${title}` }, 'reset zoom', h);
    const save = html('button', { type: 'button', 'aria-label': `Save ${title} as SVG` }, 'SVG', h);
    this.svg = svg('svg', { role: 'img', 'aria-label': title }, this.box);
    this.tip = html('div', { class: 'tip', hidden: '' }, null, this.box);
    const full = { x0: Infinity, x1: -Infinity, y0: 0, y1: -Infinity };
    for (const l of layers) {
      for (const d of l.data) {
        if (d[0] < full.x0) full.x0 = d[0];
        if (d[0] > full.x1) full.x1 = d[0];
        if (d[1] < full.y0) full.y0 = d[1];
        const top = l.kind === 'bars' ? Math.max(d[1], d[2]) : d[1];
        if (top > full.y1) full.y1 = top;
      }
    }
    if (!Number.isFinite(full.x0)) { full.x0 = 0; full.x1 = 1; }
    if (!Number.isFinite(full.y1)) full.y1 = 1;
    this.full = full;
    if (!(this.full.x1 > this.full.x0)) this.full.x1 = this.full.x0 + 1;
    if (!(this.full.y1 > this.full.y0)) this.full.y1 = this.full.y0 + 1;
    this.full.y1 *= 1.04;
    this.view = { ...this.full };
    this.cursorX = null;
    reset.onclick = () => { this.view = { ...this.full }; this.draw(); };
    save.onclick = () => download(`${opts.id}.svg`, svgFile(this.svg), 'image/svg+xml');
    this.interact();
    new ResizeObserver(() => this.draw()).observe(this.svg);
  }

  px(x) { return M.l + (x - this.view.x0) / (this.view.x1 - this.view.x0) * (this.w - M.l - M.r); }
  py(y) { return this.h - M.b - (y - this.view.y0) / (this.view.y1 - this.view.y0) * (this.h - M.t - M.b); }
  ix(px) { return this.view.x0 + (px - M.l) / (this.w - M.l - M.r) * (this.view.x1 - this.view.x0); }

  interact() {
    const s = this.svg;
    s.addEventListener('wheel', (e) => {
      e.preventDefault();
      const r = s.getBoundingClientRect(), x = this.ix(e.clientX - r.left), k = e.deltaY < 0 ? 0.8 : 1.25;
      const v = this.view;
      v.x0 = x - (x - v.x0) * k; v.x1 = x + (v.x1 - x) * k;
      this.fitY(); this.draw();
    }, { passive: false });
    let drag = null;
    s.addEventListener('mousedown', (e) => { drag = { x: e.clientX, v: { ...this.view }, moved: false }; });
    window.addEventListener('mouseup', () => { setTimeout(() => { drag = null; }, 0); });
    s.addEventListener('mousemove', (e) => {
      const r = s.getBoundingClientRect();
      if (drag && e.buttons) {
        const dx = (e.clientX - drag.x) / (this.w - M.l - M.r) * (drag.v.x1 - drag.v.x0);
        if (Math.abs(e.clientX - drag.x) > 3) drag.moved = true;
        this.view.x0 = drag.v.x0 - dx; this.view.x1 = drag.v.x1 - dx; this.fitY(); this.draw();
        return;
      }
      this.hover(e.clientX - r.left, e.clientY - r.top);
    });
    s.addEventListener('mouseleave', () => { this.tip.hidden = true; });
    s.addEventListener('dblclick', () => { this.view = { ...this.full }; this.draw(); });
    s.addEventListener('click', (e) => {
      if (drag && drag.moved) return;
      const r = s.getBoundingClientRect(), near = this.nearest(e.clientX - r.left, e.clientY - r.top);
      if (near && this.opts.onPick) this.opts.onPick(near.d[0], near.d[3] ?? near.d[2]);
    });
  }

  /** y range fitted to what is visible. */
  fitY() {
    let y1 = 0;
    for (const l of this.layers) for (const d of l.data) if (d[0] >= this.view.x0 && d[0] <= this.view.x1) y1 = Math.max(y1, d[1], l.kind === 'bars' ? d[2] : 0);
    this.view.y0 = this.full.y0; this.view.y1 = y1 > 0 ? y1 * 1.04 : this.full.y1;
  }

  nearest(mx, my) {
    let best = null, bd = 400;
    for (const l of this.layers) {
      if (l.kind === 'step' && l.noPick) continue;
      for (const d of l.data) {
        if (d[0] < this.view.x0 || d[0] > this.view.x1) continue;
        const dx = this.px(d[0]) - mx, dy = this.py(l.kind === 'bars' ? (d[1] + d[2]) / 2 : d[1]) - my;
        const dist = dx * dx + dy * dy;
        if (dist < bd) { bd = dist; best = { l, d }; }
      }
    }
    return best;
  }

  /** Shows the tip again where the mouse last was (its text may have arrived since). */
  retip() { if (this.lastHover && !this.tip.hidden) this.hover(...this.lastHover); }

  hover(mx, my) {
    this.lastHover = [mx, my];
    const n = this.nearest(mx, my);
    if (!n) { this.tip.hidden = true; return; }
    const f = this.opts.xFormat, g = this.opts.yFormat;
    this.tip.textContent = n.l.tip ? n.l.tip(n.d) : `${n.l.name}\n${f(n.d[0])}  ${g(n.d[1])}`;
    this.tip.hidden = false;
    this.tip.style.left = `${Math.min(mx + 14, this.w - 200)}px`; this.tip.style.top = `${my + 30}px`;
  }

  setCursor(x) { this.cursorX = x; this.drawCursor(); }

  drawCursor() {
    if (!this.cursorLine) return;
    const ok = this.cursorX !== null && this.cursorX >= this.view.x0 && this.cursorX <= this.view.x1;
    this.cursorLine.setAttribute('visibility', ok ? 'visible' : 'hidden');
    if (ok) { const x = this.px(this.cursorX); this.cursorLine.setAttribute('x1', x); this.cursorLine.setAttribute('x2', x); }
  }

  draw() {
    const r = this.svg.getBoundingClientRect();
    this.w = r.width || 600; this.h = r.height || 260;
    this.svg.setAttribute('viewBox', `0 0 ${this.w} ${this.h}`);
    this.svg.replaceChildren();
    this.axes();
    const clip = `clip-${this.opts.id}`;
    const cp = svg('clipPath', { id: clip }, svg('defs', {}, this.svg));
    svg('rect', { x: M.l, y: M.t, width: this.w - M.l - M.r, height: this.h - M.t - M.b }, cp);
    const g = svg('g', { 'clip-path': `url(#${clip})` }, this.svg);
    for (const l of this.layers) this.layer(g, l);
    this.legend();
    this.cursorLine = svg('line', { y1: M.t, y2: this.h - M.b, stroke: '#D55E00', 'stroke-width': 1.2, 'stroke-dasharray': '3 3' }, this.svg);
    this.drawCursor();
  }

  layer(g, l) {
    const vis = l.data.filter(d => d[0] >= this.view.x0 - (this.view.x1 - this.view.x0) * 0.02 && d[0] <= this.view.x1);
    if (l.kind === 'bars') return this.bars(g, l, vis);
    if (l.kind === 'points') {
      const pts = thin(vis, (d) => Math.round(this.px(d[0])), 3);
      let path = '';
      for (const d of pts) { const x = this.px(d[0]), y = this.py(d[1]); path += `M${x - 2} ${y}h4M${x} ${y - 2}v4`; }
      svg('path', { d: path, stroke: l.colour, 'stroke-width': 1.6, fill: 'none', 'data-layer': l.name }, g);
      return;
    }
    const before = l.data.filter(d => d[0] < this.view.x0).pop();
    const pts = thin(before ? [before, ...vis] : vis, (d) => Math.round(this.px(d[0])), 4);
    let path = '';
    pts.forEach((d, i) => {
      const x = this.px(d[0]), y = this.py(d[1]);
      if (i === 0) path += `M${x} ${y}`;
      else path += l.kind === 'step' ? `H${x}V${y}` : `L${x} ${y}`;
    });
    if (l.kind === 'step' && pts.length) path += `H${this.px(this.view.x1)}`;
    svg('path', { d: path, stroke: l.colour, 'stroke-width': l.width || 1.6, fill: 'none', 'stroke-dasharray': l.dash, 'data-layer': l.name }, g);
  }

  /** Vertical bars (segments: seq to seq+len at their time), merged per pixel column when crowded. */
  bars(g, l, vis) {
    const cols = new Map();
    for (const d of vis) {
      const x = Math.round(this.px(d[0]) * 2) / 2;
      const c = cols.get(x);
      if (!c) cols.set(x, [d[1], d[2]]); else { c[0] = Math.min(c[0], d[1]); c[1] = Math.max(c[1], d[2]); }
    }
    let path = '';
    for (const [x, [a, b]] of cols) { const y0 = this.py(a), y1 = this.py(b); path += `M${x} ${y0}V${Math.min(y1, y0 - 1.5)}`; }
    svg('path', { d: path, stroke: l.colour, 'stroke-width': l.width || 1.8, fill: 'none', 'data-layer': l.name, 'data-count': vis.length }, g);
  }

  axes() {
    const a = svg('g', { class: 'axis' }, this.svg), grid = svg('g', { class: 'grid' }, this.svg);
    for (const t of ticks(this.view.x0, this.view.x1, 7)) {
      const x = this.px(t);
      svg('line', { x1: x, x2: x, y1: M.t, y2: this.h - M.b }, grid);
      const tx = svg('text', { x, y: this.h - 8, 'text-anchor': 'middle' }, a); tx.textContent = this.opts.xFormat(t);
    }
    for (const t of ticks(this.view.y0, this.view.y1, 5)) {
      const y = this.py(t);
      svg('line', { x1: M.l, x2: this.w - M.r, y1: y, y2: y }, grid);
      const tx = svg('text', { x: M.l - 6, y: y + 3, 'text-anchor': 'end' }, a); tx.textContent = this.opts.yFormat(t);
    }
    svg('path', { d: `M${M.l} ${M.t}V${this.h - M.b}H${this.w - M.r}`, fill: 'none' }, a);
  }

  legend() {
    let x = M.l + 8;
    for (const l of this.layers) {
      if (!l.data.length) continue;
      svg('line', { x1: x, x2: x + 16, y1: M.t + 8, y2: M.t + 8, stroke: l.colour, 'stroke-width': 2.5, 'stroke-dasharray': l.dash }, this.svg);
      const t = svg('text', { x: x + 20, y: M.t + 11, class: 'key' }, this.svg); t.textContent = l.name;
      x += 28 + l.name.length * 6;
    }
  }
}

/** At most {@code per} points per pixel column: first, min, max, last. */
function thin(data, col, per) {
  if (data.length < 4000) return data;
  const out = []; let cur = null, bucket = [];
  const flush = () => {
    if (!bucket.length) return;
    if (bucket.length <= per) { out.push(...bucket); return; }
    let lo = bucket[0], hi = bucket[0];
    for (const d of bucket) { if (d[1] < lo[1]) lo = d; if (d[1] > hi[1]) hi = d; }
    const keep = [bucket[0], lo, hi, bucket[bucket.length - 1]].sort((a, b) => a[0] - b[0]);
    out.push(...keep.filter((d, i) => i === 0 || d !== keep[i - 1]));
  };
  for (const d of data) { const c = col(d); if (c !== cur) { flush(); bucket = []; cur = c; } bucket.push(d); }
  flush();
  return out;
}

function ticks(a, b, n) {
  const span = b - a; if (!(span > 0)) return [a];
  const step0 = span / n, mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= step0) || mag * 10;
  const out = []; for (let t = Math.ceil(a / step) * step; t <= b; t += step) out.push(t);
  return out;
}
