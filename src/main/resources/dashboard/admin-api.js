'use strict';
/*
 * The management API as the dashboard uses it (CONTRACT §7, §12, §13): JSON reads and block writes with
 * the operator's admin token (kept in sessionStorage, sent as a Bearer header to /admin paths only, never
 * shown), and a plain sentence for every answer that is not a success.
 */
const AdminApi = (() => {
  const STORAGE_KEY = 'token-gateway.adminToken';
  let memory = '';  // the token when sessionStorage is unavailable

  function token() {
    try { return sessionStorage.getItem(STORAGE_KEY) || ''; } catch (e) { return ''; }
  }

  function setToken(value) {
    try { sessionStorage.setItem(STORAGE_KEY, value); } catch (e) { /* storage off: kept for this page only */ }
    memory = value;
  }

  function clearToken() {
    try { sessionStorage.removeItem(STORAGE_KEY); } catch (e) { /* nothing stored */ }
    memory = '';
  }

  function headers(extra) {
    const all = Object.assign({ accept: 'application/json' }, extra || {});
    const current = token() || memory;
    if (current) all.authorization = 'Bearer ' + current;
    return all;
  }

  const TOKEN_NEEDED = 'This gateway requires an admin token: paste one above to see live data and to block.';

  /** What an unsuccessful answer means to an operator, in one sentence. */
  function explain(status, problem, path) {
    const code = problem && typeof problem.code === 'string' ? problem.code : '';
    if (status === 0) return 'The gateway did not answer (' + path + '): is it running and reachable?';
    if (status === 401) {
      return token() || memory
        ? 'The admin token was refused (401' + (code ? ' ' + code : '') + '): check it and paste it again.'
        : TOKEN_NEEDED;
    }
    if (status === 403 && code === 'admin_disabled') {
      return 'Admin writes are disabled on this gateway (management.adminTokenEnv is not set).';
    }
    if (status === 404) return '/' + path + ' is not available on this gateway (404).';
    const detail = problem && typeof problem.detail === 'string' ? ': ' + problem.detail : '';
    return '/' + path + ' answered ' + status + (code ? ' ' + code : '') + detail;
  }

  async function request(method, path, body) {
    const extra = body ? { 'content-type': 'application/json' } : {};
    const admin = path.startsWith('admin/');
    const init = { method, cache: 'no-store', headers: admin ? headers(extra) : Object.assign({ accept: 'application/json' }, extra) };
    if (body) init.body = JSON.stringify(body);
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, data: null, message: explain(0, null, path) };
    }
    let data = null;
    try {
      const text = await response.text();
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    const ok = response.ok;
    return { ok, status: response.status, data, message: ok ? '' : explain(response.status, data, path) };
  }

  return {
    token: () => token() || memory,
    setToken,
    clearToken,
    headers,
    explain,
    TOKEN_NEEDED,
    get: (path) => request('GET', path),
    put: (path, body) => request('PUT', path, body),
    del: (path) => request('DELETE', path),
  };
})();
