// What the views compute once from a variant's model: where each packet and transition sits in the
// timeline, and the filtered timeline of the chosen connection.

export const SEND = 0, ARRIVE = 1, TRANSITION = 2;

/** Indexes a variant's model in place (adds fields starting with _). */
export function prepare(v) {
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
  return v;
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
export function shortLabel(p, mode = 'rel') {
  const l = p.l || '';
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
