'use strict';
/*
 * The dashboard (CONTRACT §15): live counts from the SSE stream read with fetch (an EventSource cannot send
 * the admin token), reconnecting with backoff; the other panels polled every few seconds; the admin token
 * and the block/unblock actions.
 */
const WINDOW_SECONDS = 15 * 60;
const RATE_WINDOW_SECONDS = 10;
const POLL_MS = 5000;
const ABSENT_RECHECK_MS = 60000;   // an endpoint that answered 404 is asked again this rarely
const STREAM_SILENCE_MS = 45000;   // the stream sends a heartbeat every 15 s: this much silence means it is dead
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 30000;

/** Reads {@code /admin/issuance/stream} with fetch; on a drop, reconnects after an exponential, jittered delay. */
class CountsStream {
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    this.generation = 0;
    this.attempt = 0;
    this.timer = null;
    this.controller = null;
    this.lastByteAt = 0;
    setInterval(() => this.checkSilence(), 5000);
  }

  restart() {
    this.generation++;
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    this.attempt = 0;
    this.connect(this.generation);
  }

  async connect(generation) {
    this.controller = new AbortController();
    let response;
    try {
      response = await fetch('admin/issuance/stream', {
        headers: AdminApi.headers({ accept: 'text/event-stream' }), cache: 'no-store', signal: this.controller.signal });
    } catch (e) {
      this.retry(generation, 'the live stream could not connect');
      return;
    }
    if (response.status === 401 || response.status === 403) {
      const problem = await response.json().catch(() => null);
      this.onState('locked', AdminApi.explain(response.status, problem, 'admin/issuance/stream'));
      return;  // waits for a new token (restart)
    }
    if (!response.ok || !response.body) {
      response.body && response.body.cancel().catch(() => {});
      this.retry(generation, 'the live stream answered ' + response.status);
      return;
    }
    this.onState('live', 'live');
    await this.read(response.body.getReader(), generation);
    this.retry(generation, 'the live stream dropped');
  }

  async read(reader, generation) {
    const decoder = new TextDecoder();
    let pending = '';
    this.lastByteAt = Date.now();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || generation !== this.generation) return;
        this.lastByteAt = Date.now();
        this.attempt = 0;
        pending += decoder.decode(value, { stream: true }).replace(/\r\n/g, '\n');
        let end;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          this.dispatch(pending.slice(0, end));
          pending = pending.slice(end + 2);
        }
      }
    } catch (e) {
      // dropped or aborted: the caller reconnects
    }
  }

  dispatch(event) {
    const data = event.split('\n').filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, '')).join('\n');
    if (!data) return;  // a comment (": heartbeat")
    let message;
    try { message = JSON.parse(data); } catch (e) { return; }
    this.onMessage(message);
  }

  retry(generation, why) {
    if (generation !== this.generation) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt++;
    this.onState('down', why + '; reconnecting in ' + Math.max(1, Math.round(delay / 1000)) + ' s (attempt ' + this.attempt + ')');
    this.timer = setTimeout(() => { if (generation === this.generation) this.connect(generation); }, delay);
  }

  checkSilence() {
    if (this.controller && this.lastByteAt && Date.now() - this.lastByteAt > STREAM_SILENCE_MS) {
      this.lastByteAt = 0;
      this.controller.abort();
    }
  }
}

const state = {
  history: new IssuanceHistory(WINDOW_SECONDS),
  chart: null,
  snapshot: null,        // latest /admin/issuance answer
  sessions: null,        // latest /admin/sessions answer
  absentUntil: new Map(),  // path -> time before which a 404 path is not asked again
  locked: false,         // the admin API refused our token (or lack of one)
  drawPending: false,
};

function notice(text, isError) {
  const node = document.getElementById('notice');
  node.textContent = text || '';
  node.hidden = !text;
  node.classList.toggle('error', Boolean(isError));
}

function streamState(kind, text) {
  const pill = document.getElementById('stream-state');
  pill.textContent = kind === 'live' ? 'live' : kind === 'locked' ? 'admin token needed' : 'reconnecting…';
  pill.className = 'pill ' + kind;
  pill.title = text;
  if (kind === 'locked') {
    state.locked = true;
    notice(text, AdminApi.token() !== '');
  } else if (kind === 'down') {
    notice('Live data paused: ' + text + '.', false);
  } else {
    state.locked = false;
    notice('');
  }
}

/** Each tenant's live rates, totals (the larger of /admin/issuance and the stream's), leases and waiting. */
function tenantRows() {
  const sums = state.history.nodeSums();
  const snapshot = (state.snapshot && state.snapshot.tenants) || {};
  const sessionTenants = (state.sessions && state.sessions.ok && state.sessions.data && state.sessions.data.tenants) || {};
  const names = new Set([...Object.keys(snapshot), ...sums.keys(), ...state.history.tenantNames()]);
  const rows = [];
  for (const tenant of names) {
    const live = sums.get(tenant) || {};
    const base = snapshot[tenant] || {};
    const row = { tenant };
    for (const kind of KINDS) {
      row[kind + 'Rate'] = state.history.rate(tenant, kind, RATE_WINDOW_SECONDS);
      row[kind] = Math.max(Number(base[kind]) || 0, live[kind] || 0);
    }
    const s = sessionTenants[tenant];
    row.leases = s ? (s.leased || 0) + ' / ' + (s.maxConcurrent || '∞') : (live.leased != null ? live.leased : '–');
    row.waiting = live.waiting != null ? live.waiting : (s ? s.waiting || 0 : '–');
    row.activity = row.issuedRate + row.deniedRate + row.failedRate;
    rows.push(row);
  }
  return rows.sort((a, b) => b.activity - a.activity || (b.issued + b.denied + b.failed) - (a.issued + a.denied + a.failed)
    || a.tenant.localeCompare(b.tenant));
}

function draw() {
  state.drawPending = false;
  const select = document.getElementById('chart-tenant');
  const tenant = select.value || null;
  const data = state.history.chartData(tenant);
  state.chart.draw(data);
  const windowIssued = data[1].reduce((a, b) => a + b, 0);
  document.getElementById('chart-empty').hidden = state.history.tenants.size > 0;
  for (const kind of KINDS) {
    document.getElementById('rate-' + kind).textContent = formatRate(state.history.rate(tenant, kind, RATE_WINDOW_SECONDS));
  }
  document.getElementById('window-issued').textContent = Math.round(windowIssued);
  const rows = tenantRows();
  Panels.tenants(rows);
  tenantChoices(select, rows);
}

function tenantChoices(select, rows) {
  const wanted = ['', ...rows.slice(0, TOP_TENANTS).map((r) => r.tenant)];
  if (select.value && !wanted.includes(select.value)) wanted.push(select.value);
  const current = Array.from(select.options).map((o) => o.value);
  if (current.join('\n') === wanted.join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(...wanted.map((name) => el('option', { value: name }, name || 'all tenants')));
  select.value = chosen;
}

function scheduleDraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  setTimeout(draw, 200);
}

/** GET one admin path unless it is known to be absent or our token is refused; null when skipped. */
async function poll(path) {
  if ((state.absentUntil.get(path) || 0) > Date.now()) return null;
  if (state.locked && path.startsWith('admin/')) return null;
  const answer = await AdminApi.get(path);
  if (answer.status === 404) state.absentUntil.set(path, Date.now() + ABSENT_RECHECK_MS);
  if (answer.status === 401) streamState('locked', answer.message);
  return answer;
}

async function refresh() {
  const [issuance, sessions, blocks, health] = await Promise.all(
    ['admin/issuance', 'admin/sessions', 'admin/blocks'].map(poll).concat(AdminApi.get('health/ready')));
  if (issuance && issuance.ok) state.snapshot = issuance.data;
  if (sessions) {
    state.sessions = sessions;
    Panels.sessions(sessions, state.history.nodeSums());
    Panels.accounts(sessions);
  }
  if (blocks) Panels.blocks(blocks, unblock);
  Panels.health(health, state.snapshot ? state.snapshot.nodes : null, state.history.nodes);
  scheduleDraw();
}

function blockPath(tenant, user) {
  return 'admin/blocks/' + encodeURIComponent(tenant) + (user ? '/users/' + encodeURIComponent(user) : '');
}

async function block(event) {
  event.preventDefault();
  const tenant = document.getElementById('block-tenant').value.trim();
  const user = document.getElementById('block-user').value.trim();
  const reason = document.getElementById('block-reason').value.trim();
  const until = document.getElementById('block-until').value;
  const body = { reason };
  if (until) body.until = new Date(until).toISOString();
  const answer = await AdminApi.put(blockPath(tenant, user), body);
  const result = document.getElementById('block-result');
  if (!answer.ok) {
    result.textContent = 'Not blocked: ' + answer.message;
  } else {
    const e = (answer.data && answer.data.exposure) || {};
    result.textContent = 'Blocked ' + (user ? 'user ' + user + ' of ' : 'tenant ') + tenant + ' until '
      + formatTime(answer.data && answer.data.until) + '. Still usable, cannot be revoked: '
      + (e.liveTokens || 0) + ' live tokens' + (e.sessionsEndBy ? ', sessions running until ' + formatTime(e.sessionsEndBy) : '') + '.';
    document.getElementById('block-form').reset();
  }
  state.absentUntil.delete('admin/blocks');
  refresh();
}

async function unblock(b) {
  const answer = await AdminApi.del(blockPath(b.tenant, b.user));
  document.getElementById('block-result').textContent = answer.ok
    ? 'Unblocked ' + (b.user ? 'user ' + b.user + ' of ' : 'tenant ') + b.tenant + '.'
    : 'Not unblocked: ' + answer.message;
  refresh();
}

function useToken(event, stream) {
  event.preventDefault();
  const input = document.getElementById('admin-token');
  const value = input.value.trim();
  input.value = '';  // never left on screen
  if (value) AdminApi.setToken(value); else AdminApi.clearToken();
  state.locked = false;
  notice('');
  stream.restart();
  refresh();
}

function start() {
  state.chart = new IssuanceChart(document.getElementById('chart'));
  const stream = new CountsStream((message) => { state.history.add(message); scheduleDraw(); }, streamState);
  document.getElementById('token-form').addEventListener('submit', (event) => useToken(event, stream));
  document.getElementById('token-forget').addEventListener('click', () => {
    AdminApi.clearToken();
    stream.restart();
    refresh();
  });
  document.getElementById('block-form').addEventListener('submit', block);
  document.getElementById('chart-tenant').addEventListener('change', draw);
  window.addEventListener('resize', () => state.chart.resize());
  draw();
  refresh();
  stream.restart();
  setInterval(refresh, POLL_MS);
  setInterval(scheduleDraw, 1000);  // the time axis moves on even when nothing arrives
}

start();
