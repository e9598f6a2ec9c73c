// The analytics benchmark for one data size (bench/analytics/run.sh loops over sizes and
// prints the combined table). See bench/README.md "Analytics".
//
//   node bench.mjs --events N --runs R --work DIR --tobops BIN --results FILE.jsonl
//   node bench.mjs --report FILE.jsonl          (prints the table of every size in FILE)
//
// One data set, three engines, six questions (questions.mjs):
// - data: `tobops demo --out` NDJSON; tobops imports that file (`tobops import`), the
//   peers load the same messages flattened to CSV and resolve identities in SQL.
// - tobops: one `tobops serve`, timed POST /api/query round trips (what the console and
//   API users wait for), with a read token.
// - ClickHouse 18.16: a private server, timed HTTP requests (a question may take several
//   statements, e.g. the funnel's temporary table; all of them are timed).
// - DuckDB: @duckdb/node-api in a forked node process (so its memory can be measured on
//   its own); the timer runs inside that process around the query.
// Per question and engine: one warm-up run, then --runs timed runs; the median is
// reported. Peak memory: VmHWM (peak resident set) of the engine's process, reset through
// /proc/PID/clear_refs before the question's warm-up and read after its last run — for
// tobops the serve process, for ClickHouse the server process (and, for reference, the
// largest memory_usage of the question's queries in system.query_log), for DuckDB the
// worker process. Answers are reduced to figures and compared: tobops and DuckDB each
// against ClickHouse. For the funnels, ClickHouse's native windowFunnel is timed as well
// (reference: whole seconds, no breakdown; its step totals are checked, not required).
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startClickHouse } from '../../tests/differential/lib/clickhouse.mjs';
import { loadClickHouse } from '../../tests/differential/lib/identity_clickhouse.mjs';
import { compareFigures, flatten } from '../../tests/differential/lib/compare.mjs';
import { DUCKDB_IDENTITY_CHECKS, DUCKDB_IDENTITY_SQL, duckdbLoadSql } from './identity_duckdb.mjs';
import { QUESTIONS } from './questions.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const T0 = Date.now();
const log = (s) => process.stderr.write(`[analytics ${String(Math.round((Date.now() - T0) / 1000)).padStart(4)}s] ${s}\n`);

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  return a;
}

// ------------------------------------------------------------------ processes
function run(cmd, args, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    if (quiet) child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}${out}`))));
  });
}

function resetPeak(pid) {
  try { fs.writeFileSync(`/proc/${pid}/clear_refs`, '5'); return true; } catch { return false; }
}
function peakRssBytes(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}
// CPU seconds (user + system) the process has used so far.
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (USER_HZ 100)
  } catch { return null; }
}
// Waits until the process has used under 5% of a core for 3 s in a row (at most
// `maxS`); returns the seconds waited.
async function waitUntilIdle(pid, maxS = 300) {
  const start = Date.now();
  let quiet = 0;
  let last = cpuSeconds(pid);
  while (quiet < 3 && Date.now() - start < maxS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    quiet = now !== null && last !== null && now - last < 0.05 ? quiet + 1 : 0;
    last = now;
  }
  return (Date.now() - start) / 1000;
}
function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch { return null; }
}

class DuckDB {
  constructor(file) {
    this.child = fork(path.join(here, 'duckdb_worker.mjs'), [file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid;
    this.pending = new Map();
    this.next = 0;
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', resolve);
      this.child.once('exit', (code) => reject(new Error(`duckdb worker exited ${code}`)));
    });
    // A worker that dies (killed, out of memory) fails its pending calls instead of
    // leaving the benchmark waiting forever.
    this.child.on('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`duckdb worker exited (${signal || code})`));
      this.pending.clear();
    });
    this.child.on('message', (m) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error)); else p.resolve(m);
    });
  }
  call(op, sql) {
    return new Promise((resolve, reject) => {
      const id = ++this.next;
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, op, sql });
    });
  }
  async exec(sql) { return (await this.call('exec', sql)).seconds; }
  // Stops the statement running now (it fails with an "interrupted" error).
  interrupt() { this.child.send({ op: 'interrupt' }); }
  async rows(sql) { return (await this.call('rows', sql)).rows; }
  async close() {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.call('close').catch(() => {});
    await exited;
  }
}

async function startServe(tobops, dataDir, work) {
  const token = (await run(tobops, ['keys', 'create', '--data', dataDir, '--kind', 'read', '--name', 'bench'], { quiet: true })).trim().split('\n').pop().trim();
  const portFile = path.join(work, 'serve.port');
  fs.rmSync(portFile, { force: true });
  const logFd = fs.openSync(path.join(work, 'serve.log'), 'w');
  const child = spawn(tobops, ['serve', '--data', dataDir, '--host', '127.0.0.1', '--port', '0',
    '--port-file', portFile, '--admin-password', 'bench-admin-pw-0001'], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const deadline = Date.now() + 600000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tobops serve exited: ${fs.readFileSync(path.join(work, 'serve.log'), 'utf8')}`);
    if (fs.existsSync(portFile) && fs.readFileSync(portFile, 'utf8').trim()) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  const url = `http://127.0.0.1:${port}/api/query`;
  return {
    pid: child.pid,
    async query(spec) {
      const res = await fetch(url, { method: 'POST', body: JSON.stringify(spec),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
      const text = await res.text();
      if (res.status !== 200) {
        let message = text;
        try { message = JSON.parse(text).error.message; } catch { /* raw text */ }
        const e = new Error(`HTTP ${res.status}: ${message}`);
        e.status = res.status;
        throw e;
      }
      return JSON.parse(text);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 60000);
      await exited;
      clearTimeout(t);
    },
  };
}

// ------------------------------------------------------------------ timing
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Warm-up + runs of fn (which resolves the answer); returns {median_ms, runs_ms, answer,
// peak_bytes}. `limit` = {ms, cancel}: the warm-up and runs together get `ms`; when a call
// is still running at the deadline, cancel(inFlight) stops it (and waits for it to
// settle), and the median is of the runs already done — or, without one, the engine's
// answer is "n/a (time limit)". So one engine that takes hours (DuckDB's exact funnel at
// 50M) cannot stall the whole benchmark.
async function measure(fn, runs, pid, limit) {
  const resettable = resetPeak(pid);
  const deadline = Date.now() + limit.ms;
  const bounded = async () => {
    const call = fn();
    let timer;
    const expired = new Promise((resolve) => { timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now())); });
    const first = await Promise.race([call, expired]);
    clearTimeout(timer);
    if (first !== TIMED_OUT) return first;
    await limit.cancel(call.catch(() => {}));
    return TIMED_OUT;
  };
  const answer = await bounded();
  if (answer === TIMED_OUT) throw new Error(`time limit: the warm-up run took over ${limit.ms / 1000} s`);
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const t = process.hrtime.bigint();
    if ((await bounded()) === TIMED_OUT) break;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  if (!times.length) throw new Error(`time limit: no timed run within ${limit.ms / 1000} s`);
  return { median_ms: median(times), runs_ms: times, answer, peak_bytes: resettable ? peakRssBytes(pid) : null,
    limited: times.length < runs || undefined };
}
const TIMED_OUT = Symbol('timed out');

// ------------------------------------------------------------------ one size
async function benchOneSize(args) {
  const events = Number(args.events);
  const runs = Number(args.runs || 5);
  const limitMs = Number(args['time-limit'] || 600) * 1000;
  // How each engine's running question is stopped at the time limit.
  const waitFor = async (inFlight) => { await inFlight; };
  const work = args.work;
  const tobops = args.tobops;
  fs.mkdirSync(work, { recursive: true });
  const ndjson = path.join(work, 'events.ndjson');
  const csv = path.join(work, 'events.csv');
  const dataDir = path.join(work, 'tobops');
  const cleanups = [];
  const result = { events, runs, questions: [], load: {} };
  try {
    log(`${events} events: generating the demo data (tobops demo --out)`);
    await run(tobops, ['demo', '--events', String(events), '--out', ndjson]);
    log('tobops import of the same NDJSON');
    let t = Date.now();
    const imported = await run(tobops, ['import', '--data', dataDir, ndjson]);
    result.load.tobops_import_s = (Date.now() - t) / 1000;
    log(`tobops: ${imported.trim().split('\n').pop()}`);

    log('starting ClickHouse and loading (NDJSON → CSV → table raw → identity SQL → table ev)');
    const ch = await startClickHouse(path.join(work, 'clickhouse'));
    cleanups.push(() => ch.stop());
    result.clickhouse_version = await ch.version();
    const loaded = await loadClickHouse(ch, ndjson, csv, (s) => log(`  ${s}`));
    result.load.clickhouse = loaded.seconds;
    log(`ClickHouse ${result.clickhouse_version}: ${JSON.stringify(loaded)}`);
    // Nothing reads the NDJSON after the CSV conversion: free its disk (32 GB at 50M) now.
    fs.rmSync(ndjson, { force: true });
    await ch.exec('OPTIMIZE TABLE ev FINAL');
    for (const table of ['raw', 'ev_base', 'ev_acct']) await ch.exec(`DROP TABLE IF EXISTS ${table}`);

    log('starting DuckDB (forked worker) and loading the same CSV');
    const db = new DuckDB(path.join(work, 'bench.duckdb'));
    cleanups.push(() => db.close());
    result.duckdb_version = (await db.ready).version;
    t = Date.now();
    for (const sql of duckdbLoadSql(csv)) await db.exec(sql);
    const duckLoad = (Date.now() - t) / 1000;
    t = Date.now();
    for (const sql of DUCKDB_IDENTITY_SQL) await db.exec(sql);
    for (const c of DUCKDB_IDENTITY_CHECKS) {
      const [{ n }] = await db.rows(c.sql);
      if (Number(n) !== 0) throw new Error(`DuckDB: ${n} ${c.what}`);
    }
    for (const table of ['raw', 'ev_base', 'ev_acct']) await db.exec(`DROP TABLE IF EXISTS ${table}`);
    await db.exec('CHECKPOINT');
    result.load.duckdb = { load: duckLoad, identity: (Date.now() - t) / 1000 };
    const [dstats] = await db.rows("SELECT count(*) AS events, count(DISTINCT person) AS persons, count(DISTINCT account) FILTER (WHERE account <> '') AS accounts FROM ev");
    log(`DuckDB ${result.duckdb_version}: ${JSON.stringify(dstats)} (load ${duckLoad} s, identity ${result.load.duckdb.identity} s)`);

    log('starting tobops serve');
    t = Date.now();
    const serve = await startServe(tobops, dataDir, work);
    cleanups.push(() => serve.stop());
    log(`tobops serve up in ${(Date.now() - t) / 1000} s, RSS ${Math.round(rssBytes(serve.pid) / 1e6)} MB`);
    // The server runs its start-up jobs (playbooks, lead rescoring: ops/background_jobs.h)
    // right after opening; queries timed meanwhile would share the cores with them.
    result.load.tobops_startup_jobs_s = await waitUntilIdle(serve.pid);
    log(`tobops serve idle after ${result.load.tobops_startup_jobs_s} s of start-up jobs`);

    const chLimit = { ms: limitMs, cancel: async (inFlight) => {
      const tag = ch.tag;
      ch.tag = '';
      await ch.exec(`KILL QUERY WHERE query_id LIKE '${tag}%' SYNC`);
      ch.tag = tag;
      await inFlight;
    } };
    const duckLimit = { ms: limitMs, cancel: async (inFlight) => { db.interrupt(); await inFlight; } };
    const [span] = await ch.rows('SELECT toString(min(day)) AS from, toString(max(day)) AS to FROM ev');
    result.range = span;
    for (const q of QUESTIONS) {
      const spec = q.spec(span);
      const row = { id: q.id, title: q.title, spec };
      log(`Q${q.id} ${q.title}`);
      // ClickHouse: the reference answer.
      ch.tag = `bench-q${q.id}-`;
      try {
        const m = await measure(() => q.clickhouse(ch, spec), runs, ch.pid, chLimit);
        row.clickhouse = { median_ms: m.median_ms, runs_ms: m.runs_ms, peak_rss_bytes: m.peak_bytes, limited: m.limited };
        row.clickhouse_figures = flatten(m.answer);
      } catch (e) {
        row.clickhouse = { na: e.message.split('\n')[0] };
      }
      const tag = ch.tag;
      ch.tag = '';
      if (q.clickhouse_native && row.clickhouse_figures) {
        // Reference only: ClickHouse's native function (see questions.mjs); its overall
        // step counts are checked against the exact answer's.
        try {
          ch.tag = `bench-native-q${q.id}-`;
          const m = await measure(() => q.clickhouse_native(ch, spec), runs, ch.pid, chLimit);
          const exact = new Map([...row.clickhouse_figures].filter(([k]) => k.startsWith('all · ')));
          row.clickhouse_native = { median_ms: m.median_ms, runs_ms: m.runs_ms, limited: m.limited,
            agrees: compareFigures('windowFunnel', flatten(m.answer), exact) === null };
        } catch (e) {
          row.clickhouse_native = { na: e.message.split('\n')[0] };
        } finally {
          ch.tag = '';
        }
      }
      if (row.clickhouse_figures) {
        try {
          await ch.exec('SYSTEM FLUSH LOGS');
          const [mem] = await ch.rows(`SELECT max(memory_usage) AS peak FROM system.query_log
            WHERE type = 2 AND query_id LIKE '${tag}%'`);
          row.clickhouse.query_log_peak_bytes = Number(mem.peak);
        } catch (e) {
          log(`  no query_log figure: ${e.message.split('\n')[0]}`);
        }
      }
      try {
        const m = await measure(() => q.duckdb(db, spec), runs, db.pid, duckLimit);
        row.duckdb = { median_ms: m.median_ms, runs_ms: m.runs_ms, peak_rss_bytes: m.peak_bytes, limited: m.limited };
        if (row.clickhouse_figures) {
          const diff = compareFigures(`Q${q.id} DuckDB vs ClickHouse`, flatten(m.answer), row.clickhouse_figures, 'ClickHouse');
          row.duckdb.agrees = diff === null;
          if (diff) log(diff.slice(0, 4000));
        }
      } catch (e) {
        row.duckdb = { na: e.message.split('\n')[0] };
      }
      try {
        const m = await measure(() => serve.query(spec), runs, serve.pid, { ms: limitMs, cancel: waitFor });
        row.tobops = { median_ms: m.median_ms, runs_ms: m.runs_ms, peak_rss_bytes: m.peak_bytes, limited: m.limited };
        if (row.clickhouse_figures) {
          const diff = compareFigures(`Q${q.id} tobops vs ClickHouse`, flatten(q.tobops(spec, m.answer)), row.clickhouse_figures, 'ClickHouse');
          row.tobops.agrees = diff === null;
          if (diff) log(diff.slice(0, 4000));
        }
      } catch (e) {
        // A kind that does not exist yet is "n/a", not a failure of the benchmark.
        row.tobops = { na: e.message.split('\n')[0] };
      }
      row.figures = row.clickhouse_figures ? row.clickhouse_figures.size : 0;
      delete row.clickhouse_figures;
      const fmt = (x) => (x && x.median_ms !== undefined ? `${x.median_ms.toFixed(1)} ms${x.agrees === false ? ' (DIFFERS)' : ''}` : `n/a (${x && x.na})`);
      log(`  tobops ${fmt(row.tobops)}; ClickHouse ${fmt(row.clickhouse)}; DuckDB ${fmt(row.duckdb)}`);
      result.questions.push(row);
    }
  } finally {
    for (const c of cleanups.reverse()) {
      try { await c(); } catch (e) { log(`cleanup: ${e.message}`); }
    }
  }
  return result;
}

// ------------------------------------------------------------------ report
function mb(b) { return b ? `${Math.round(b / 1e6)}` : '-'; }
function ms(x) {
  if (!x) return '-';
  if (x.median_ms === undefined) return 'n/a';
  const v = x.median_ms >= 100 ? x.median_ms.toFixed(0) : x.median_ms.toFixed(1);
  return x.agrees === false ? `${v}!` : v;
}
function ratio(a, b) {
  return a && b && a.median_ms !== undefined && b.median_ms !== undefined ? (a.median_ms / b.median_ms).toFixed(2) : '-';
}

export function report(results) {
  const lines = [];
  const header = ['events', 'question', 'tobops ms', 'CH ms', 'DuckDB ms', 'tobops/CH', 'tobops/DuckDB',
    'agree', 'peak MB tobops', 'CH (query)', 'DuckDB'];
  const rows = [header];
  for (const r of results) {
    for (const q of r.questions) {
      const agree = [q.tobops && q.tobops.agrees, q.duckdb && q.duckdb.agrees]
        .map((a) => (a === true ? 'yes' : a === false ? 'NO' : '-')).join('/');
      rows.push([r.events.toLocaleString('en-US'), `Q${q.id} ${q.title}`, ms(q.tobops), ms(q.clickhouse), ms(q.duckdb),
        ratio(q.tobops, q.clickhouse), ratio(q.tobops, q.duckdb), agree,
        mb(q.tobops && q.tobops.peak_rss_bytes),
        `${mb(q.clickhouse && q.clickhouse.peak_rss_bytes)} (${mb(q.clickhouse && q.clickhouse.query_log_peak_bytes)})`,
        mb(q.duckdb && q.duckdb.peak_rss_bytes)]);
    }
  }
  const width = header.map((_, i) => Math.max(...rows.map((r) => [...String(r[i])].length)));
  for (const r of rows) {
    lines.push(r.map((c, i) => {
      const s = String(c);
      const pad = ' '.repeat(width[i] - [...s].length);
      return i === 1 ? s + pad : pad + s;
    }).join('  '));
  }
  for (const r of results) {
    for (const q of r.questions) {
      const n = q.clickhouse_native;
      if (!n) continue;
      lines.push(n.median_ms === undefined ? `${r.events} Q${q.id}: ClickHouse windowFunnel n/a (${n.na})`
        : `${r.events.toLocaleString('en-US')} Q${q.id}: ClickHouse windowFunnel (native, whole seconds, no breakdown) ` +
          `${n.median_ms.toFixed(0)} ms, tobops/that ${(q.tobops && q.tobops.median_ms !== undefined ? (q.tobops.median_ms / n.median_ms).toFixed(2) : '-')}, ` +
          `step totals ${n.agrees ? 'equal to' : 'DIFFER from'} the exact answer`);
    }
  }
  lines.push('', 'ms: median of the timed runs (warm). tobops/peer < 1: tobops is faster (0.20 = 5x).',
    'agree: tobops/DuckDB answers equal to ClickHouse\'s, figure by figure; "!" marks a differing answer.',
    'peak MB: VmHWM of the engine process during the question (ClickHouse server; in parentheses the',
    'largest memory_usage of its queries in system.query_log).');
  for (const r of results) {
    for (const q of r.questions) {
      for (const [engine, x] of [['tobops', q.tobops], ['ClickHouse', q.clickhouse], ['DuckDB', q.duckdb]]) {
        if (x && x.na) lines.push(`n/a: ${r.events} Q${q.id} ${engine}: ${x.na}`);
        if (x && x.limited) lines.push(`time limit: ${r.events} Q${q.id} ${engine}: median of ${x.runs_ms.length} of ${r.runs} runs`);
      }
    }
  }
  return lines.join('\n');
}

// ------------------------------------------------------------------ main
const args = parseArgs(process.argv.slice(2));
if (args.report) {
  const results = fs.readFileSync(args.report, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l));
  console.log(report(results));
} else {
  for (const k of ['events', 'work', 'tobops', 'results']) {
    if (!args[k]) { console.error(`bench.mjs: --${k} is required`); process.exit(2); }
  }
  const result = await benchOneSize(args);
  result.host = { cores: (await import('node:os')).cpus().length, node: process.version };
  fs.appendFileSync(args.results, `${JSON.stringify(result)}\n`);
  process.stderr.write(`${report([result])}\n`);
  const differs = result.questions.some((q) => (q.tobops && q.tobops.agrees === false) || (q.duckdb && q.duckdb.agrees === false));
  if (differs) {
    log('some answers differ (see above)');
    process.exitCode = 1;
  }
}
