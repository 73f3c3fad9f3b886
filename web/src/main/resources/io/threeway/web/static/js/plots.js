// The plots of one connection: the time-sequence graph (Stevens/tcptrace: segments, the ACK line, the
// receive-window line, SACK blocks, retransmissions), cwnd and ssthresh, RTT samples with SRTT and RTO,
// bytes in flight, and the advertised windows. All share the lab's cursor.
import { html, bytes } from './util.js';
import { Chart } from './chart.js';
import { lineOf, needLines } from './model.js';

const C = { blue: '#0072B2', orange: '#E69F00', sky: '#56B4E9', green: '#009E73', red: '#D55E00', purple: '#CC79A7', ink: '#1d2430', yellow: '#b9a800' };
const S = { T: 0, STATE: 1, CWND: 2, SSTHRESH: 3, FLIGHT: 4, SRTT: 5, RTO: 6, ADV: 7, PEER: 8 };
const sec = (ns) => ns / 1e9;

export class Plots {
  constructor(el, app) { this.el = el; this.app = app; this.charts = []; }

  /** The run, variant and connection to plot: drawn now if the pane is shown, else when it is. */
  setData(run, v, conv) {
    this.pending = [run, v, conv];
    this.charts = []; this.timeSeq = null;
    if (!this.el.hidden) this.show();
  }

  /** The pane is shown: builds the plots of the data last given, once. */
  show() {
    if (!this.pending) return;
    const [run, v, conv] = this.pending;
    this.pending = null;
    this.build(run, v, conv);
    if (this.lastCursor !== undefined) this.cursor(this.lastCursor);
  }

  build(run, v, conv) {
    this.el.replaceChildren();
    this.charts = [];
    this.timeSeq = null;
    const c = conv >= 0 ? conv : busiest(v);
    if (c < 0) { html('p', { class: 'muted' }, 'No TCP conversation to plot.', this.el); return; }
    const info = html('p', { class: 'muted small' }, null, this.el);
    const grid = html('div', { class: 'plots' }, null, this.el);
    const dir = dataDirection(v, c);
    const cv = v.convs[c], snd = dir === 0 ? cv.a : cv.b, rcv = dir === 0 ? cv.b : cv.a;
    info.textContent = `Connection ${cv.a[1]}:${cv.a[2]} ⇄ ${cv.b[1]}:${cv.b[2]}; data from ${snd[0]} (${snd[1]}:${snd[2]}) to ${rcv[0]}. Wheel zooms time, drag pans, double-click resets, click moves the cursor.`;
    const pick = (x, i) => { if (Number.isInteger(i) && i >= 0 && i < v.packets.length) this.app.selectPacket(i, true); };
    const fx = (x) => `${+x.toFixed(3)}s`;
    this.timeSeq = this.timeSequence(v, c, dir);
    this.add(grid, 'Time-sequence (relative sequence numbers)', this.timeSeq.layers, { id: 'time-sequence', xFormat: fx, yFormat: bytes, onPick: pick });
    const sender = endpointOf(v, c, snd[0]), receiver = endpointOf(v, c, rcv[0]);
    const ss = sender >= 0 ? (v.series[sender] || []) : [], rs = receiver >= 0 ? (v.series[receiver] || []) : [];
    if (ss.length) {
      this.add(grid, `Congestion window and ssthresh (${snd[0]})`, [
        { name: 'cwnd', kind: 'step', colour: C.blue, data: col(ss, S.CWND), width: 2 },
        { name: 'ssthresh', kind: 'step', colour: C.orange, dash: '6 3', data: col(ss, S.SSTHRESH).filter(d => d[1] >= 0) },
      ], { id: 'cwnd', xFormat: fx, yFormat: bytes, onPick: pick });
    }
    const samples = v.rtt.filter(r => r[1] === c && r[2] === dir).map(r => [sec(r[0]), r[3] / 1e6]);
    this.add(grid, `RTT samples, SRTT and RTO (${snd[0]}, ms)`, [
      { name: 'RTT sample', kind: 'points', colour: C.ink, data: samples },
      { name: 'SRTT', kind: 'step', colour: C.blue, data: col(ss, S.SRTT, 1e6).filter(d => d[1] > 0), width: 2 },
      { name: 'RTO', kind: 'step', colour: C.red, dash: '5 3', data: col(ss, S.RTO, 1e6).filter(d => d[1] > 0) },
    ], { id: 'rtt', xFormat: fx, yFormat: (y) => `${+y.toFixed(1)}ms`, onPick: pick });
    this.add(grid, `Bytes in flight (${snd[0]})`, [
      { name: 'in flight', kind: 'step', colour: C.purple, data: ss.length ? col(ss, S.FLIGHT) : flightFromCapture(v, c, dir), width: 2 },
    ], { id: 'in-flight', xFormat: fx, yFormat: bytes, onPick: pick });
    this.add(grid, 'Advertised window', [
      { name: `${rcv[0]} advertises`, kind: 'step', colour: C.green, data: rs.length ? col(rs, S.ADV) : advertised(v, c, 1 - dir), width: 2 },
      { name: `${snd[0]} sees (SND.WND)`, kind: 'step', colour: C.sky, dash: '4 3', data: ss.length ? col(ss, S.PEER) : [] },
    ], { id: 'window', xFormat: fx, yFormat: bytes, onPick: pick });
  }

  add(grid, title, layers, opts) { this.charts.push(new Chart(grid, title, layers, opts)); }

  timeSequence(v, c, dir) {
    const data = [], rtx = [], lost = [], acks = [], win = [], sack = [];
    for (const p of v.packets) {
      if (p.c !== c) continue;
      if (p.d === dir) {
        const len = p.len + (p.fl.includes('S') ? 1 : 0) + (p.fl.includes('F') ? 1 : 0);
        if (!len) continue;
        const bar = [sec(p.t), p.rs, p.rs + len, p.i];
        if (p.fate && p.fate !== 'delivered') lost.push(bar); else if (p.re) rtx.push(bar); else data.push(bar);
      } else if (p.fl.includes('.')) {
        const t = sec(p.ta >= 0 ? p.ta : p.t);
        acks.push([t, p.ra, p.i]);
        win.push([t, p.ra + p.sw, p.i]);
        for (const [l, r] of (p.sack || [])) sack.push([t, l, r, p.i]);
      }
    }
    const tip = (what) => (d) => {
      const i = d[3] ?? d[2], l = lineOf(v, i);
      if (l === undefined) needLines(v, i, i, () => this.charts.forEach(c => c.retip()));
      return `${what} at ${d[0].toFixed(6)}s\n${l ?? ''}`;
    };
    return {
      data, acks,
      layers: [
        { name: 'segments', kind: 'bars', colour: C.blue, data, tip: tip('segment') },
        { name: 'retransmissions', kind: 'bars', colour: C.purple, data: rtx, width: 3, tip: tip('retransmission') },
        { name: 'lost', kind: 'bars', colour: C.red, data: lost, width: 3, tip: tip('lost') },
        { name: 'ACK', kind: 'step', colour: C.orange, data: acks, tip: tip('ACK') },
        { name: 'receive window', kind: 'step', colour: C.green, dash: '5 3', data: win, tip: tip('window edge') },
        { name: 'SACK', kind: 'bars', colour: C.yellow, data: sack, width: 4, tip: tip('SACK block') },
      ],
    };
  }

  cursor(ns) { this.lastCursor = ns; for (const c of this.charts) c.setCursor(sec(ns)); }
}

function col(series, k, div = 1) { return series.map(r => [sec(r[S.T]), r[k] / div]); }

function busiest(v) {
  let best = -1, most = -1;
  const by = new Map();
  for (const p of v.packets) if (p.c >= 0) by.set(p.c, (by.get(p.c) || 0) + p.len + 1);
  for (const [c, n] of by) if (n > most) { most = n; best = c; }
  return best;
}

function dataDirection(v, c) {
  const b = [0, 0];
  for (const p of v.packets) if (p.c === c) b[p.d] += p.len;
  return b[1] > b[0] ? 1 : 0;
}

function endpointOf(v, c, host) {
  const e = v.endpoints.find(e => e.conv === c && e.host === host);
  return e ? e.id : -1;
}

/** From a capture alone: the highest sequence sent minus the highest ACK seen, after each packet. */
function flightFromCapture(v, c, dir) {
  let high = 0, acked = 0; const out = [];
  for (const p of v.packets) {
    if (p.c !== c) continue;
    if (p.d === dir) high = Math.max(high, p.rs + p.len);
    else if (p.fl.includes('.')) acked = Math.max(acked, p.ra);
    out.push([sec(p.t), Math.max(0, high - acked)]);
  }
  return out;
}

function advertised(v, c, dir) {
  return v.packets.filter(p => p.c === c && p.d === dir).map(p => [sec(p.t), p.sw]);
}
