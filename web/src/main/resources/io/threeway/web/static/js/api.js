// The server's JSON API. Every call goes to this page's own origin (127.0.0.1).

/** A failed request: the server's message and, for a form, the fields it names. */
export class ApiError extends Error {
  constructor(message, fields) { super(message); this.fields = fields || {}; }
}

async function answer(res) {
  let body;
  try { body = await res.json(); } catch { throw new ApiError(`the server answered ${res.status} without JSON`); }
  if (!res.ok) throw new ApiError(body.error || `error ${res.status}`, body.fields);
  return body;
}

export async function get(path) { return answer(await fetch(path, { cache: 'no-store' })); }

export async function post(path, bytes) {
  return answer(await fetch(path, { method: 'POST', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }));
}

/** The query string of a run request from a plain object (sysctl: several lines). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (k === 'sysctl') String(v).split('\n').map(s => s.trim()).filter(Boolean).forEach(s => q.append('sysctl', s));
    else q.append(k, v);
  }
  return q.toString();
}
