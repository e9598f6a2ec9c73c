// Integration-test harness: starts a real `tobops serve` on 127.0.0.1 with a fresh
// data directory, creates a write key and a read token with the CLI, and offers small
// HTTP helpers. Every process started here is killed when the test (or the whole
// test process) ends.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const tobopsBin = path.resolve(repoRoot, process.env.TOBOPS_BIN || 'build/tobops');

const HOST = '127.0.0.1';
const live = new Set(); // child processes still running

process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function randomPassword(n = 16) {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(n);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[bytes[i] % alphabet.length];
  return s;
}

// Runs the tobops CLI; resolves {stdout, stderr}, rejects on a non-zero exit.
export function runCli(args, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(tobopsBin, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        err.message += `\nstdout: ${stdout}\nstderr: ${stderr}`;
        reject(err);
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

async function waitForPortFile(file, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return null;
    try {
      const text = (await readFile(file, 'utf8')).trim();
      const port = Number(text);
      if (text && Number.isInteger(port) && port > 0) return port;
    } catch { /* not yet written */ }
    await sleep(25);
  }
  return null;
}

async function waitUntilUp(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      const res = await fetch(`${url}/api/me`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return true; // 401 is fine: the server answers
    } catch { /* not listening yet */ }
    await sleep(25);
  }
  return false;
}

function waitExit(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

// Starts a server. Returns
// {url, port, writeKey, readToken, adminPassword, dataDir, log(), stop(), kill9(), restart(), cleanup()}.
// Pass the test context `t` (or call cleanup() yourself) so that everything is torn down.
export async function startServer(t, { startTimeoutMs = 20000 } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'tobops-it-'));
  const portFile = path.join(dataDir, '..', `${path.basename(dataDir)}.port`);
  const adminPassword = randomPassword(16);
  let writeKey;
  let readToken;
  try {
    writeKey = (await runCli(['keys', 'create', '--data', dataDir, '--kind', 'write', '--name', 'it'])).stdout.trim();
    readToken = (await runCli(['keys', 'create', '--data', dataDir, '--kind', 'read', '--name', 'it'])).stdout.trim();
    if (!/^\S+$/.test(writeKey) || !/^\S+$/.test(readToken)) {
      throw new Error(`keys create printed unexpected output: ${JSON.stringify({ writeKey, readToken })}`);
    }
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }

  let child = null;
  let logText = '';
  const server = {
    dataDir, writeKey, readToken, adminPassword, port: 0, url: '',
    log: () => logText,
  };

  async function launch(port) {
    await rm(portFile, { force: true });
    const args = ['serve', '--data', dataDir, '--host', HOST, '--port', String(port),
      '--port-file', portFile, '--admin-password', adminPassword, '--threads', '8'];
    const c = spawn(tobopsBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(c);
    c.on('exit', () => live.delete(c));
    const append = (chunk) => {
      logText += chunk.toString();
      if (logText.length > 200000) logText = logText.slice(-100000);
    };
    c.stdout.on('data', append);
    c.stderr.on('data', append);
    const deadline = Date.now() + startTimeoutMs;
    const bound = await waitForPortFile(portFile, c, deadline);
    if (bound === null) {
      c.kill('SIGKILL');
      await waitExit(c, 5000);
      return null;
    }
    const url = `http://${HOST}:${bound}`;
    if (!(await waitUntilUp(url, c, deadline))) {
      c.kill('SIGKILL');
      await waitExit(c, 5000);
      return null;
    }
    child = c;
    server.port = bound;
    server.url = url;
    return url;
  }

  async function start() {
    // Prefer the previous port so that clients keep working; fall back to a new one.
    if (server.port) {
      for (let attempt = 0; attempt < 5; attempt++) {
        if (await launch(server.port)) return;
        await sleep(200);
      }
    }
    if (await launch(0)) return;
    throw new Error(`tobops serve did not come up. Log:\n${logText.slice(-4000)}`);
  }

  server.stop = async () => {
    if (!child) return;
    const c = child;
    child = null;
    c.kill('SIGTERM');
    if (!(await waitExit(c, 10000))) {
      c.kill('SIGKILL');
      await waitExit(c, 5000);
    }
  };
  server.kill9 = async () => {
    if (!child) return;
    const c = child;
    child = null;
    c.kill('SIGKILL');
    await waitExit(c, 5000);
  };
  server.restart = async () => {
    await server.stop();
    await start();
  };
  server.start = start;
  server.running = () => child !== null;
  server.cleanup = async () => {
    await server.kill9();
    await rm(dataDir, { recursive: true, force: true });
    await rm(portFile, { force: true });
  };

  try {
    await start();
  } catch (e) {
    await server.cleanup();
    throw e;
  }
  if (t && typeof t.after === 'function') t.after(() => server.cleanup());
  return server;
}

// ---- HTTP helpers -------------------------------------------------------------

const TIMEOUT_MS = 15000;

export async function request(url, { method = 'GET', headers = {}, body, timeoutMs = TIMEOUT_MS } = {}) {
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, text, json };
}

export function basicAuth(writeKey) {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}

// POST /v1/batch with the write key as Basic user name. `opts.gzip` compresses the body.
export async function postBatch(server, batch, { writeKey = server.writeKey, gzip = false, extra = {}, timeoutMs } = {}) {
  let body = JSON.stringify({ batch, ...extra });
  const headers = { 'Content-Type': 'application/json' };
  if (writeKey !== null) headers.Authorization = basicAuth(writeKey);
  if (gzip) {
    body = gzipSync(Buffer.from(body));
    headers['Content-Encoding'] = 'gzip';
  }
  return request(`${server.url}/v1/batch`, { method: 'POST', headers, body, timeoutMs });
}

export async function query(server, spec, { token = server.readToken } = {}) {
  const res = await request(`${server.url}/api/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(spec),
  });
  if (res.status !== 200) throw new Error(`query failed ${res.status}: ${res.text}\nspec: ${JSON.stringify(spec)}`);
  return res.json;
}

export async function apiGet(server, pathAndQuery, { token = server.readToken, cookie } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  else if (token) headers.Authorization = `Bearer ${token}`;
  return request(`${server.url}${pathAndQuery}`, { headers });
}

// Calls the JSON API of `server` with the console session `cookie` (from login), or with
// the read token when auth is 'token'. Returns request()'s answer ({status, json, text, ...}).
export function apiCall(server, cookie, path, { method = 'GET', body, auth = 'cookie' } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (auth === 'cookie') headers.Cookie = cookie;
  else if (auth === 'token') headers.Authorization = `Bearer ${server.readToken}`;
  return request(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

// Logs in as admin; returns the cookie header value "tobops_session=...".
export async function login(server, username = 'admin', password = server.adminPassword) {
  const res = await fetch(`${server.url}/api/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`login failed ${res.status}: ${text}`);
  const cookies = typeof res.headers.getSetCookie === 'function'
    ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || ''];
  for (const c of cookies) {
    const m = /(?:^|\s)(tobops_session=[^;]*)/.exec(c);
    if (m) return m[1];
  }
  throw new Error(`login answered without a tobops_session cookie: ${JSON.stringify(cookies)}`);
}

// Fetches every stored event via GET /api/events, paging with the `before` cursor.
export async function allEvents(server, { q = '', pageSize = 500, maxPages = 1000 } = {}) {
  const out = [];
  let before = null;
  for (let page = 0; page < maxPages; page++) {
    const params = new URLSearchParams({ limit: String(pageSize) });
    if (q) params.set('q', q);
    if (before !== null) params.set('before', String(before));
    const res = await apiGet(server, `/api/events?${params}`);
    if (res.status !== 200) throw new Error(`/api/events ${res.status}: ${res.text}`);
    out.push(...res.json.events);
    if (res.json.next_before === null || res.json.next_before === undefined) return out;
    if (before !== null && res.json.next_before >= before) throw new Error('events cursor did not move');
    before = res.json.next_before;
  }
  throw new Error('too many pages of events');
}

// A trend spec over whole UTC days.
export function trend(series, from, to, extra = {}) {
  return { kind: 'trend', series, interval: 'day', range: { from, to }, timezone: 'UTC', ...extra };
}

// {'YYYY-MM-DD': value} of the points of a series.
export function pointsByDay(series) {
  const out = {};
  for (const p of series.points) out[p.t.slice(0, 10)] = p.value;
  return out;
}

// Breakdown series → {breakdown_value: total}.
export function totalsByValue(answer) {
  const out = {};
  for (const s of answer.series) out[String(s.breakdown_value)] = s.total;
  return out;
}

let seq = 0;
export function uid(prefix = 'm') {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}-${randomBytes(4).toString('hex')}`;
}

// Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the last value.
export async function poll(fn, { timeoutMs = 10000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() >= deadline) return last;
    await sleep(intervalMs);
  }
}

// Creates one record through the generic REST (POST /api/<resource>) and answers it in
// API form; fails the test, naming the resource and the server's answer, unless 201.
export async function createRecord(server, cookie, resource, body) {
  const r = await apiCall(server, cookie, `/api/${resource}`, { method: 'POST', body });
  if (r.status !== 201) throw new Error(`creating ${resource}: ${r.status} ${r.text}`);
  return r.json.record;
}
