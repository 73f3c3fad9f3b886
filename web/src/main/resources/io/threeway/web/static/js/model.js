// What the views compute once from a variant's model: where each packet and transition sits in the
// timeline, and the filtered timeline of the chosen connection.

import { get } from './api.js';

export const SEND = 0, ARRIVE = 1, TRANSITION = 2;

const FLAG_LETTERS = [[0x02, 'S'], [0x01, 'F'], [0x08, 'P'], [0x04, 'R'], [0x20, 'U'], [0x40, 'E'], [0x80, 'W'], [0x10, '.']];
const TWO32 = 4294967296;

/** tcpdump's flag letters for the TCP flag bits: S, S., P., F., R... */
export function flagText(bits) {
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (bits & bit) s += letter;
  return s || 'none';
}

/** A column of differences back to the values. */
function undelta(col) { const out = new Float64Array(col.length); let t = 0; for (let i = 0; i < col.length; i++) out[i] = (t += col[i]); return out; }

/**
 * Reads a variant's model from its compact encoding (one array per field, times as differences; see the
 * server's TraceModel) into the rows the views use, and indexes it in place (fields starting with _).
 * {@code runId} and {@code vi} say where to ask for the tcpdump lines not yet loaded.
 */
export function prepare(v, runId, vi) {
  if (v._prepared) return v;
  v.packets = packetRows(v);
  const et = undelta(v.events.t), ek = v.events.k, ei = v.events.i;
  v.events = Array.from(et, (t, k) => [t, ek[k], ei[k]]);
  const T = v.transitions, tt = undelta(T.t);
  v.transitions = Array.from(tt, (t, j) => ({ t, ep: T.ep[j], from: T.states[T.from[j]], to: T.states[T.to[j]], cause: T.causes[T.cause[j]] }));
  const series = {};
  for (const [ep, cols] of Object.entries(v.series.by)) {
    const c = cols.map(undelta);
    series[ep] = Array.from(c[0], (t, r) => [t, v.series.states[c[1][r]], ...c.slice(2).map(x => x[r])]);
  }
  v.series = series;
  const rt = undelta(v.rtt.t);
  v.rtt = Array.from(rt, (t, r) => [t, v.rtt.c[r], v.rtt.d[r], v.rtt.rtt[r]]);
  const np = v.packets.length;
  v._send = new Int32Array(np).fill(-1);
  v._arrive = new Int32Array(np).fill(-1);
  v._trEvent = new Int32Array(v.transitions.length).fill(-1);
  v.events.forEach((e, k) => {
    if (e[1] === SEND) v._send[e[2]] = k;
    else if (e[1] === ARRIVE) { if (v._arrive[e[2]] < 0) v._arrive[e[2]] = k; }
    else v._trEvent[e[2]] = k;
  });
  v._epConv = v.endpoints.map(e => e.conv);
  v._lines = new Map([[0, v.lines0]]); v._linesPending = new Set(); v._where = `/api/runs/${runId}/lines?v=${vi}`;
  v._cookie = new Set(v.cookies || []);
  v._prepared = true;
  return v;
}

/** The packets as objects: {i, f, to, t, ta, fate, why, dup; for TCP: c, d, fl, seq, ack, rs, ra, sw, len, re, pr, sack}. */
function packetRows(v) {
  const P = v.packets, names = v.names, out = new Array(P.n);
  let t = 0;
  for (let i = 0; i < P.n; i++) {
    t += P.t[i];
    const fly = P.fly[i], fi = P.fate[i], b = P.b[i], c = P.c[i];
    const p = { i, f: names[P.f[i]], to: names[P.to[i]], t, ta: fly < 0 ? -1 : t + fly };
    if (fi !== 0) { p.fate = P.fates[fi]; p.why = P.why[fi]; }
    if (b & 1) p.dup = true;
    if (c >= 0) {
      const cv = v.convs[c], d = P.d[i];
      p.c = c; p.d = d; p.fl = flagText(P.fl[i]); p.rs = P.rs[i]; p.ra = P.ra[i]; p.sw = P.sw[i]; p.len = P.len[i];
      p.seq = (cv.isn[d] + p.rs) % TWO32;
      p.ack = (b & 16) || cv.isn[1 - d] < 0 ? p.ra : (cv.isn[1 - d] + p.ra) % TWO32;
      if (b & 2) p.re = true;
      if (b & 4) p.pr = 'keepalive'; else if (b & 8) p.pr = 'zero-window probe';
      const sk = P.sack[i]; if (sk) p.sack = sk;
    }
    out[i] = p;
  }
  return out;
}

/** The tcpdump line of packet {@code i} (without its time), or undefined while its chunk is not loaded. */
export function lineOf(v, i) {
  const c = v._lines.get(Math.floor(i / v.lineChunk));
  return c ? c[i % v.lineChunk] : undefined;
}

/** Loads the lines of packets {@code from} to {@code to} not loaded yet; calls {@code then} when some arrive. */
export function needLines(v, from, to, then) {
  const n = v.packets.length; if (!n) return;
  for (let c = Math.floor(Math.max(0, from) / v.lineChunk); c <= Math.floor(Math.min(n - 1, to) / v.lineChunk); c++) {
    if (v._lines.has(c) || v._linesPending.has(c)) continue;
    v._linesPending.add(c);
    get(`${v._where}&from=${c * v.lineChunk}`).then(d => { v._lines.set(c, d.lines); v._linesPending.delete(c); then(); },
      () => v._linesPending.delete(c));
  }
}

/** The events shown for connection {@code conv} (-1: all): indexes into v.events. */
export function visibleEvents(v, conv) {
  if (conv < 0) return v.events.map((_, k) => k);
  const out = [];
  v.events.forEach((e, k) => {
    if (e[1] === TRANSITION) { if (v._epConv[v.transitions[e[2]].ep] === conv) out.push(k); }
    else if (v.packets[e[2]].c === conv) out.push(k);
  });
  return out;
}

/** The last transition of each endpoint at or before event {@code k}: Map ep -> transition index. */
export function statesAt(v, k) {
  const last = new Map();
  v.transitions.forEach((t, j) => { if (v._trEvent[j] >= 0 && v._trEvent[j] <= k) last.set(t.ep, j); });
  return last;
}

/**
 * A label for an arrow, from the tcpdump line: its flags, numbers, window and length ({@code mode} 'rel', as
 * tcpdump prints them), with absolute sequence numbers as tcpdump -S prints them ('abs'), or with the options
 * too ('opts').
 */
export function shortLabel(p, line, mode = 'rel') {
  const l = line || '';
  const colon = l.indexOf(': ');
  let rest = (colon >= 0 ? l.slice(colon + 2) : l).replace(/^Flags /, '');
  if (mode !== 'opts') rest = rest.replace(/, options \[[^\]]*\]/, '');
  if (mode === 'abs' && p.fl !== undefined) {
    const end = (p.seq + p.len) % 4294967296;
    rest = rest.replace(/seq \d+(:\d+)?/, p.len > 0 ? `seq ${p.seq}:${end}` : `seq ${p.seq}`)
      .replace(/ack \d+/, `ack ${p.ack}`);
  }
  return rest;
}
