'use strict';
/* Renders each panel from plain data. Text goes in through textContent only: nothing from the API is parsed as HTML. */
const TOP_TENANTS = 20;
const NODE_LISTED_MS = 120000;  // a node silent this long has left: no longer listed (its counts stay in the totals)

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) {
    if (child != null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(id, text) {
  const node = document.getElementById(id);
  node.textContent = text || '';
  node.hidden = !text;
}

function formatRate(value) {
  if (!value) return '0';
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function formatTime(iso) {
  if (!iso) return 'never';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? String(iso) : at.toLocaleString();
}

const Panels = {
  /** Busiest tenants first (top {@code TOP_TENANTS}), the rest summed into one row. */
  tenants(rows) {
    const body = document.getElementById('tenant-rows');
    const top = rows.slice(0, TOP_TENANTS);
    const rest = rows.slice(TOP_TENANTS);
    const cells = (name, r, className) => el('tr', { className: className || '' },
      el('td', {}, name), el('td', {}, formatRate(r.issuedRate)), el('td', {}, formatRate(r.deniedRate)),
      el('td', {}, formatRate(r.failedRate)), el('td', { className: 'total' }, r.issued),
      el('td', { className: 'total' }, r.denied), el('td', { className: 'total' }, r.failed),
      el('td', {}, r.leases), el('td', {}, r.waiting));
    const trs = top.map((r) => cells(r.tenant, r));
    if (rest.length) {
      const sum = { issuedRate: 0, deniedRate: 0, failedRate: 0, issued: 0, denied: 0, failed: 0, leases: '', waiting: '' };
      for (const r of rest) {
        for (const key of ['issuedRate', 'deniedRate', 'failedRate', 'issued', 'denied', 'failed']) sum[key] += r[key];
      }
      trs.push(cells(rest.length + ' other tenants', sum, 'others'));
    }
    body.replaceChildren(...trs);
    document.getElementById('tenants-empty').hidden = rows.length > 0;
  },

  bar(name, used, capacity, figure) {
    const share = capacity > 0 ? Math.min(1, used / capacity) : 0;
    const fill = el('span', { className: share >= 1 ? 'full' : '' });
    fill.style.width = (share * 100).toFixed(1) + '%';
    return el('div', { className: 'bar-row', title: name }, el('span', { className: 'name' }, name),
      el('div', { className: 'bar' }, fill), el('span', { className: 'figure' }, figure));
  },

  /** {@code GET /admin/sessions} tenants (§12): leases against caps, waiting requests. */
  sessions(answer, streamSums) {
    const rows = document.getElementById('session-rows');
    if (!answer.ok) {
      rows.replaceChildren();
      show('sessions-msg', answer.message);
      return;
    }
    const tenants = Object.entries((answer.data && answer.data.tenants) || {})
      .filter(([, t]) => t && (t.maxConcurrent > 0 || t.leased > 0))
      .sort((a, b) => (b[1].leased || 0) - (a[1].leased || 0));
    rows.replaceChildren(...tenants.slice(0, TOP_TENANTS).map(([name, t]) => {
      const live = streamSums.get(name);
      const waiting = live && live.waiting != null ? live.waiting : (t.waiting || 0);
      const figure = (t.leased || 0) + ' / ' + (t.maxConcurrent || '∞') + (t.guaranteed ? ' (' + t.guaranteed + ' guaranteed)' : '')
        + (waiting ? ' · ' + waiting + ' waiting' : '');
      return Panels.bar(name, t.leased || 0, t.maxConcurrent || 0, figure);
    }));
    const more = tenants.length > TOP_TENANTS ? tenants.length - TOP_TENANTS + ' more tenants hold leases.' : '';
    show('sessions-msg', tenants.length ? more : 'No tenant has session admission on, or none holds a lease.');
  },

  /** {@code GET /admin/sessions} accounts (§12): each Decart account's quota and the leases against it. */
  accounts(answer) {
    const rows = document.getElementById('account-rows');
    if (!answer.ok) {
      rows.replaceChildren();
      show('accounts-msg', answer.message);
      return;
    }
    const accounts = Object.entries((answer.data && answer.data.accounts) || {});
    rows.replaceChildren(...accounts.map(([name, a]) => {
      const limit = Number(a.limit) || 0;
      const figure = (a.leased || 0) + ' leased / ' + (limit || '∞') + (a.reserve ? ' (reserve ' + a.reserve + ')' : '')
        + (a.remaining != null ? ' · ' + a.remaining + ' free at Decart' : '') + ' · polled ' + formatTime(a.polledAt);
      return Panels.bar(name, a.leased || 0, Math.max(0, limit - (a.reserve || 0)), figure);
    }));
    show('accounts-msg', accounts.length ? '' : 'No Decart account is in use yet.');
  },

  /** {@code /health/ready}'s body: circuit state, calls in flight, readiness, cluster nodes. */
  health(answer, issuanceNodes, streamNodes) {
    const checks = (answer.data && Array.isArray(answer.data.checks)) ? answer.data.checks : [];
    const check = (id) => checks.find((c) => c && c.id === id) || {};
    const circuit = (check('decart-circuit').data || {});
    const circuitNode = document.getElementById('circuit');
    circuitNode.textContent = circuit.state || (answer.status === 0 ? 'unknown (gateway not answering)' : 'unknown');
    circuitNode.className = circuit.state ? 'state-' + circuit.state : '';
    document.getElementById('in-flight').textContent = circuit.inFlight != null ? circuit.inFlight : '–';
    const ready = answer.status === 200 ? 'yes' : answer.status === 503 ? 'no (starting or shutting down)' : 'unknown';
    document.getElementById('ready').textContent = ready;
    const alone = (check('cluster').data || {}).alone === true ? ' — cut off from its peers' : '';
    document.getElementById('nodes').textContent = (issuanceNodes != null ? issuanceNodes : streamNodes.size || '–') + alone;
    const now = Date.now();
    const recent = Array.from(streamNodes.entries()).filter(([, n]) => now - n.seenAt < NODE_LISTED_MS);
    document.getElementById('node-list').replaceChildren(...recent.map(([id, n]) =>
      el('li', {}, id + ' · last counts ' + Math.round((now - n.seenAt) / 1000) + ' s ago')));
  },

  /** {@code GET /admin/blocks} (§13): every block in force; temporary ones get an Unblock button. */
  blocks(answer, unblock) {
    const body = document.getElementById('block-rows');
    if (!answer.ok) {
      body.replaceChildren();
      show('blocks-msg', answer.message);
      return;
    }
    const data = answer.data;
    const blocks = Array.isArray(data) ? data : (data && Array.isArray(data.blocks) ? data.blocks : []);
    body.replaceChildren(...blocks.map((b) => {
      const button = b.until == null ? el('span', { className: 'hint' }, 'tenants.yaml')
        : el('button', { type: 'button', className: 'quiet', onclick: () => unblock(b) }, 'Unblock');
      return el('tr', {}, el('td', {}, b.tenant), el('td', {}, b.user || 'whole tenant'),
        el('td', { className: 'reason' }, b.reason || ''), el('td', {}, b.until == null ? 'permanent' : formatTime(b.until)),
        el('td', {}, button));
    }));
    show('blocks-msg', blocks.length ? '' : 'No block is in force.');
  },
};
