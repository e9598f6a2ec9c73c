// A private ClickHouse server owned by this process (the differential test, the analytics
// benchmark): config from bench/ingest/clickhouse.sh (127.0.0.1 only, free ports, UTC,
// query_log on), the server as a child process, queries over its HTTP interface.
// The server is killed when stop() is called or when this process exits.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');
const configScript = path.join(repoRoot, 'bench', 'ingest', 'clickhouse.sh');

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* gone */ }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Debian installs the server in /usr/sbin, which is not on a normal user's PATH.
const SERVER_CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

function onPath(bin) {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

// The clickhouse-server binary; throws a message that says what to do when it is missing.
export function requireClickHouse() {
  const server = onPath('clickhouse-server') || SERVER_CANDIDATES.find((p) => fs.existsSync(p));
  const missing = !server ? 'clickhouse-server' : !onPath('clickhouse-client') ? 'clickhouse-client' : '';
  if (missing) {
    throw new Error(`${missing} is not installed: run scripts/install-deps.sh --with-clickhouse ` +
      '(Debian package clickhouse-server 18.16)');
  }
  return server;
}

// One POST on a fresh connection. Not fetch(): its pooled keep-alive connections go
// stale while this process is busy with synchronous work (the CSV conversion of 10M
// rows takes minutes, ClickHouse closes idle connections after 3 s), and the next
// statement then fails with "other side closed" without ever reaching the server.
function postOnce(url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export class ClickHouse {
  constructor({ dir, tcpPort, httpPort, child }) {
    this.dir = dir;
    this.tcpPort = tcpPort;
    this.httpPort = httpPort;
    this.child = child;
    this.pid = child.pid;
    this.url = `http://127.0.0.1:${httpPort}/`;
    this.tag = '';
    this.queries = 0;
  }

  // Runs `sql` and returns the response text. `settings` go into the URL. While `tag` is
  // set, each query gets the query_id tag + a counter (so that system.query_log can be
  // searched for one benchmark question's queries).
  async raw(sql, settings = {}) {
    const params = new URLSearchParams({ output_format_json_quote_64bit_integers: '0', ...settings });
    if (this.tag) params.set('query_id', `${this.tag}${++this.queries}`);
    const { status, text } = await postOnce(`${this.url}?${params}`, sql);
    if (status !== 200) throw new Error(`ClickHouse: ${text.trim()}\nquery: ${sql}`);
    return text;
  }

  // Statements without a result (CREATE, INSERT … SELECT, DROP).
  async exec(sql, settings = {}) {
    await this.raw(sql, settings);
  }

  // SELECT → array of row objects.
  async rows(sql, settings = {}) {
    const text = await this.raw(`${sql}\nFORMAT JSONEachRow`, settings);
    return text.split('\n').filter((l) => l).map((l) => JSON.parse(l));
  }

  // Loads a CSV file (columns in table order) with clickhouse-client.
  insertCsvFile(table, file) {
    return new Promise((resolve, reject) => {
      const client = spawn('clickhouse-client', ['--host', '127.0.0.1', '--port', String(this.tcpPort),
        '--query', `INSERT INTO ${table} FORMAT CSV`], { stdio: ['pipe', 'ignore', 'pipe'] });
      let err = '';
      client.stderr.on('data', (d) => { err += d; });
      fs.createReadStream(file).pipe(client.stdin);
      client.on('error', reject);
      client.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`clickhouse-client insert failed: ${err}`))));
    });
  }

  async version() {
    return (await this.raw('SELECT version()')).trim();
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15000);
    await exited;
    clearTimeout(timer);
    live.delete(this.child);
  }
}

// Starts a server in `dir` (created) and waits until it answers over HTTP.
export async function startClickHouse(dir, { timeoutMs = 60000 } = {}) {
  const server = requireClickHouse();
  const tcpPort = await freePort();
  let httpPort = await freePort();
  while (httpPort === tcpPort) httpPort = await freePort();
  fs.mkdirSync(dir, { recursive: true });
  const config = execFileSync('bash', [configScript, 'config', dir, String(tcpPort), String(httpPort)],
    { encoding: 'utf8' }).trim();
  const log = fs.openSync(path.join(dir, 'log', 'stdout.log'), 'a');
  const child = spawn(server, [`--config-file=${config}`], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  live.add(child);
  child.on('exit', () => live.delete(child));
  const ch = new ClickHouse({ dir, tcpPort, httpPort, child });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const res = await fetch(`${ch.url}ping`, { signal: AbortSignal.timeout(1000) });
      if ((await res.text()).startsWith('Ok')) return ch;
    } catch { /* not up yet */ }
    await sleep(200);
  }
  let tail = '';
  for (const f of ['stdout.log', 'clickhouse-server.err.log']) {
    try { tail += fs.readFileSync(path.join(dir, 'log', f), 'utf8').slice(-2000); } catch { /* none */ }
  }
  await ch.stop();
  throw new Error(`clickhouse-server did not start on 127.0.0.1:${httpPort}:\n${tail}`);
}
