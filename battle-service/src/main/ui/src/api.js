/** JSON calls to battle-service; problem+json errors become thrown Errors with the detail. */
function voterId() {
  let id = localStorage.getItem('colosseum-voter');
  if (!id) {
    id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now();
    localStorage.setItem('colosseum-voter', id);
  }
  return id;
}

export async function api(path, { method = 'GET', body } = {}) {
  const res = await fetch(path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Voter-Id': voterId(), Accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!res.ok) {
    const err = new Error((data && (data.detail || data.title)) || `HTTP ${res.status}`);
    err.status = res.status;
    err.problem = data;
    throw err;
  }
  return data;
}

/** Reads a server-sent-event stream until it ends; calls onEvent with each parsed JSON event. */
export async function streamEvents(url, onEvent, signal) {
  const res = await fetch(url, { headers: { Accept: 'text/event-stream' }, signal });
  if (!res.ok || !res.body) throw new Error(`event stream failed: HTTP ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let idx;
    while ((idx = buf.indexOf('\n\n')) >= 0) {
      const chunk = buf.slice(0, idx);
      buf = buf.slice(idx + 2);
      const data = chunk.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
      if (data) onEvent(JSON.parse(data));
    }
  }
}
