// RFC 9293's state diagram (Figure 5) for each end of the chosen connection: the state at the cursor lit,
// the transition that led to it highlighted, with its cause.
import { svg, html, secs } from './util.js';
import { statesAt } from './model.js';

const W = 108, H = 22;
const POS = {
  'CLOSED': [200, 18], 'LISTEN': [200, 66], 'SYN-RECEIVED': [64, 116], 'SYN-SENT': [336, 116],
  'ESTABLISHED': [200, 166], 'FIN-WAIT-1': [64, 216], 'CLOSE-WAIT': [336, 216], 'CLOSING': [200, 248],
  'FIN-WAIT-2': [64, 280], 'LAST-ACK': [336, 280], 'TIME-WAIT': [200, 312],
};
/** The figure's transitions. */
const EDGES = [
  ['CLOSED', 'LISTEN'], ['CLOSED', 'SYN-SENT'], ['LISTEN', 'SYN-RECEIVED'], ['LISTEN', 'SYN-SENT'],
  ['SYN-SENT', 'SYN-RECEIVED'], ['SYN-RECEIVED', 'ESTABLISHED'], ['SYN-SENT', 'ESTABLISHED'],
  ['SYN-RECEIVED', 'FIN-WAIT-1'], ['ESTABLISHED', 'FIN-WAIT-1'], ['ESTABLISHED', 'CLOSE-WAIT'],
  ['FIN-WAIT-1', 'FIN-WAIT-2'], ['FIN-WAIT-1', 'CLOSING'], ['CLOSE-WAIT', 'LAST-ACK'], ['FIN-WAIT-2', 'TIME-WAIT'],
  ['CLOSING', 'TIME-WAIT'], ['LAST-ACK', 'CLOSED'], ['TIME-WAIT', 'CLOSED'], ['SYN-SENT', 'CLOSED'],
  ['LISTEN', 'CLOSED'], ['SYN-RECEIVED', 'LISTEN'],
];

/** Where a line from the centre of {@code a} towards {@code b} leaves a's box. */
function border(a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const s = Math.min(Math.abs((W / 2) / (dx || 1e-9)), Math.abs((H / 2) / (dy || 1e-9)));
  return [a[0] + dx * s, a[1] + dy * s];
}

function diagram(state, last) {
  const root = svg('svg', { viewBox: '0 0 400 330', class: 'sd', role: 'img',
    'aria-label': `State diagram, current state ${state || 'none'}` });
  const defs = svg('defs', {}, root);
  for (const [id, colour] of [['sd-arrow', '#c3cad6'], ['sd-arrow-hot', '#E69F00']]) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    svg('path', { d: 'M0 0L10 5L0 10z', fill: colour }, m);
  }
  const edges = EDGES.slice();
  if (last && !edges.some(([a, b]) => a === last.from && b === last.to) && POS[last.from] && POS[last.to]) edges.push([last.from, last.to]);
  for (const [a, b] of edges) {
    const pa = POS[a], pb = POS[b];
    const s = border(pa, pb), e = border(pb, pa);
    const hot = last && last.from === a && last.to === b;
    svg('line', { x1: s[0], y1: s[1], x2: e[0], y2: e[1], class: hot ? 'ed hot' : 'ed', 'data-edge': `${a}>${b}` }, root);
  }
  for (const [name, [x, y]] of Object.entries(POS)) {
    const cls = ['st']; if (name === state) cls.push('lit'); if (last && name === last.from) cls.push('prev');
    const g = svg('g', { class: cls.join(' '), 'data-state': name }, root);
    svg('rect', { x: x - W / 2, y: y - H / 2, width: W, height: H, rx: 6 }, g);
    const t = svg('text', { x, y: y + 3.5 }, g); t.textContent = name;
  }
  return root;
}

/** Draws the diagrams of the endpoints of connection {@code conv} at event {@code k}. */
export function renderStates(el, v, conv, k) {
  el.replaceChildren();
  if (!v) return;
  const eps = v.endpoints.filter(e => conv < 0 ? true : e.conv === conv).slice(0, conv < 0 ? 2 : 4);
  if (!eps.length) {
    html('p', { class: 'muted' }, v.endpoints.length ? 'Choose a connection.' : 'No state changes were recorded (a capture file shows none).', el);
    return;
  }
  const at = statesAt(v, k);
  for (const ep of eps) {
    const card = html('div', { class: 'state-card', 'data-host': ep.host, 'data-endpoint': ep.id }, null, el);
    html('h3', {}, `${ep.host}  ${ep.local} → ${ep.remote}`, card);
    const j = at.get(ep.id);
    const t = j === undefined ? null : v.transitions[j];
    card.appendChild(diagram(t ? t.to : null, t));
    card.dataset.state = t ? t.to : '';
    html('div', { class: 'cause' }, t ? `${secs(t.t)}: ${t.from} → ${t.to} (${t.cause})` : 'not created yet', card);
  }
}
