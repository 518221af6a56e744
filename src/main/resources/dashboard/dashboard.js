'use strict';
/*
 * The dashboard (CONTRACT §15): live counts from the SSE stream read with fetch (an EventSource cannot send
 * the admin token), reconnecting with backoff; the other panels polled every few seconds; the admin token
 * and the block/unblock actions.
 *
 * No /admin path is called before /dashboard/settings.json has said whether admin authentication is on, none
 * while it is on and the page holds no token, and none after a 401 until a new token is entered: a refused
 * request is an error in the browser's console, so a wrong token costs exactly one. The stream opens only
 * after an admin read succeeded.
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
    this.active = false;  // between restart() and stop() (or a refusal)
    setInterval(() => this.checkSilence(), 5000);
  }

  restart() {
    this.stop();
    this.active = true;
    this.connect(this.generation);
  }

  /** Closes the stream and cancels any pending reconnect. */
  stop() {
    this.generation++;
    this.active = false;
    clearTimeout(this.timer);
    if (this.controller) this.controller.abort();
    this.controller = null;
    this.lastByteAt = 0;
    this.attempt = 0;
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
      if (generation !== this.generation) return;  // an answer to a token since replaced
      this.active = false;
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
  stream: null,          // the CountsStream
  settings: null,        // /dashboard/settings.json {adminAuth, sessions}: no admin call before it arrived
  snapshot: null,        // latest /admin/issuance answer
  sessions: null,        // latest /admin/sessions answer
  absentUntil: new Map(),  // path -> time before which a 404 path is not asked again
  locked: false,         // admin authentication is on and the page has no token, or its token was refused
  tokenEpoch: 0,         // counts tokens entered and forgotten: a refusal of an earlier one locks nothing
  refreshing: null,      // the refresh in progress: one at a time, so a wrong token is sent once
  refreshAgain: false,
  drawPending: false,
};

const PILL = { live: 'live', locked: 'admin token needed', down: 'reconnecting…', connecting: 'connecting…' };

function notice(text, isError) {
  const node = document.getElementById('notice');
  node.textContent = text || '';
  node.hidden = !text;
  node.classList.toggle('error', Boolean(isError));
}

function streamState(kind, text) {
  const pill = document.getElementById('stream-state');
  pill.textContent = PILL[kind];
  pill.className = 'pill ' + kind;
  pill.title = text || '';
  if (kind === 'locked') {
    notice(text, AdminApi.token() !== '');
  } else if (kind === 'down') {
    notice('Live data paused: ' + text + '.', false);
  } else {
    notice('');
  }
}

/** No admin call from now until a new token is entered; the panels say why they are empty. */
function lock(text) {
  state.locked = true;
  state.stream.stop();
  streamState('locked', text);
  state.snapshot = null;
  state.sessions = null;
  const needed = { ok: false, message: 'Admin token needed: paste one above.' };
  if (state.settings && state.settings.sessions) {
    Panels.sessions(needed, state.history.nodeSums());
    Panels.accounts(needed);
  }
  Panels.blocks(needed, unblock);
}

/**
 * A 401: admin authentication is on (whatever the settings said) and the token sent is not accepted. The token
 * is dropped too, so a reload does not send it again.
 */
function refused(answer, epoch) {
  if (epoch !== state.tokenEpoch) return;  // an answer to a token since replaced or forgotten
  if (state.settings) state.settings.adminAuth = true;
  lock(answer.message);
  AdminApi.clearToken();
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

/** What the page must know before its first admin call; false (asked again on the next refresh) without it. */
async function loadSettings() {
  const answer = await AdminApi.get('dashboard/settings.json');
  if (!answer.ok || !answer.data) {
    notice(answer.message, true);
    return false;
  }
  state.settings = { adminAuth: answer.data.adminAuth === true, sessions: answer.data.sessions === true };
  if (!state.settings.sessions) {
    const absent = { ok: false, message: 'This gateway does not serve /admin/sessions (session admission, §12).' };
    Panels.sessions(absent, state.history.nodeSums());
    Panels.accounts(absent);
  }
  if (state.settings.adminAuth && !AdminApi.token()) {
    lock(AdminApi.TOKEN_NEEDED);
  } else {
    notice('');
  }
  return true;
}

/** GET one admin path unless the page is locked or the path is known to be absent; null when skipped or refused. */
async function poll(path) {
  if (state.locked || (state.absentUntil.get(path) || 0) > Date.now()) return null;
  const epoch = state.tokenEpoch;
  const answer = await AdminApi.get(path);
  if (answer.status === 404) state.absentUntil.set(path, Date.now() + ABSENT_RECHECK_MS);
  if (answer.status === 401) {
    refused(answer, epoch);
    return null;
  }
  return answer;
}

/** The admin reads one after another: after a 401 the rest are not sent. */
async function refreshAdmin() {
  const issuance = await poll('admin/issuance');
  if (issuance && issuance.ok) {
    state.snapshot = issuance.data;
    if (!state.stream.active) state.stream.restart();  // the token (or no need of one) is proven by now
  }
  const sessions = state.settings.sessions ? await poll('admin/sessions') : null;
  if (sessions) {
    state.sessions = sessions;
    Panels.sessions(sessions, state.history.nodeSums());
    Panels.accounts(sessions);
  }
  const blocks = await poll('admin/blocks');
  if (blocks) Panels.blocks(blocks, unblock);
}

async function refreshOnce() {
  const health = AdminApi.get('health/ready');  // open, asked whatever the admin state
  if (state.settings || await loadSettings()) await refreshAdmin();
  Panels.health(await health, state.snapshot ? state.snapshot.nodes : null, state.history.nodes);
  scheduleDraw();
}

/** One refresh at a time; one asked for meanwhile runs when it ends. */
function refresh() {
  if (state.refreshing) {
    state.refreshAgain = true;
    return state.refreshing;
  }
  state.refreshing = refreshOnce().finally(() => {
    state.refreshing = null;
    if (state.refreshAgain) {
      state.refreshAgain = false;
      refresh();
    }
  });
  return state.refreshing;
}

/** Why a write would be refused before it is sent (a refused request is a console error); '' when it may go. */
function writeRefusal() {
  if (!state.settings) return 'the gateway has not answered yet.';
  if (!state.settings.adminAuth) return AdminApi.explain(403, { code: 'admin_disabled' }, '');
  if (state.locked || !AdminApi.token()) return 'paste a valid admin token above first.';
  return '';
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
  const result = document.getElementById('block-result');
  const refusal = writeRefusal();
  if (refusal) {
    result.textContent = 'Not blocked: ' + refusal;
    return;
  }
  const epoch = state.tokenEpoch;
  const answer = await AdminApi.put(blockPath(tenant, user), body);
  if (answer.status === 401) refused(answer, epoch);
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
  const refusal = writeRefusal();
  if (refusal) {
    document.getElementById('block-result').textContent = 'Not unblocked: ' + refusal;
    return;
  }
  const epoch = state.tokenEpoch;
  const answer = await AdminApi.del(blockPath(b.tenant, b.user));
  if (answer.status === 401) refused(answer, epoch);
  document.getElementById('block-result').textContent = answer.ok
    ? 'Unblocked ' + (b.user ? 'user ' + b.user + ' of ' : 'tenant ') + b.tenant + '.'
    : 'Not unblocked: ' + answer.message;
  refresh();
}

/** A new token: tried by the next refresh's first admin read; the stream reopens once one succeeded. */
function useToken(event) {
  event.preventDefault();
  const input = document.getElementById('admin-token');
  const value = input.value.trim();
  input.value = '';  // never left on screen
  if (!value) {
    forgetToken();
    return;
  }
  AdminApi.setToken(value);
  state.tokenEpoch++;
  state.locked = false;
  state.stream.stop();
  streamState('connecting', '');
  refresh();
}

function forgetToken() {
  AdminApi.clearToken();
  state.tokenEpoch++;
  if (state.settings && state.settings.adminAuth) {
    lock(AdminApi.TOKEN_NEEDED);
  } else {
    refresh();  // reads need no token here
  }
}

function start() {
  state.chart = new IssuanceChart(document.getElementById('chart'));
  state.stream = new CountsStream((message) => { state.history.add(message); scheduleDraw(); },
    (kind, text) => (kind === 'locked' ? refused({ message: text }, state.tokenEpoch) : streamState(kind, text)));
  document.getElementById('token-form').addEventListener('submit', useToken);
  document.getElementById('token-forget').addEventListener('click', forgetToken);
  document.getElementById('block-form').addEventListener('submit', block);
  document.getElementById('chart-tenant').addEventListener('change', draw);
  window.addEventListener('resize', () => state.chart.resize());
  draw();
  refresh();
  setInterval(refresh, POLL_MS);
  setInterval(scheduleDraw, 1000);  // the time axis moves on even when nothing arrives
}

start();
