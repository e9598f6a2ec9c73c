// Summarises the per-run results of run.sh (one JSON object per line) into the printed
// table and bench/out/ingest-results.json.
// Usage: node report.mjs RESULTS.jsonl OUT.json META_JSON
import fs from 'node:fs';

const [, , resultsPath, outPath, metaJson] = process.argv;
const meta = JSON.parse(metaJson || '{}');
const runs = fs.readFileSync(resultsPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarise(kind) {
  const rs = runs.filter((r) => r.kind === kind);
  if (!rs.length) return null;
  return {
    runs: rs.length,
    events: median(rs.map((r) => r.events)),
    seconds: median(rs.map((r) => r.seconds)),
    events_per_s: median(rs.map((r) => r.events / r.seconds)),
    bytes_per_event: median(rs.map((r) => r.bytes / r.events)),
    segments_bytes_per_event: median(rs.map((r) => r.segments_bytes / r.events)),
    extra: rs[rs.length - 1].extra || {},
    per_run: rs.map((r) => ({ events: r.events, seconds: r.seconds, events_per_s: r.events / r.seconds,
      bytes: r.bytes, ...(r.segments_bytes !== undefined ? { segments_bytes: r.segments_bytes } : {}) })),
  };
}

const tob = summarise('tobops_import');
const http = summarise('tobops_http');
const ch = summarise('clickhouse');
const duck = summarise('duckdb');

const ratio = (a, b) => (a != null && b != null && b !== 0 ? a / b : null);
const peers = {};
for (const [name, s] of [['clickhouse', ch], ['duckdb', duck]]) {
  if (!s) continue;
  peers[name] = {
    ...s,
    tobops_over_peer_load_rate: ratio(tob && tob.events_per_s, s.events_per_s),
    tobops_over_peer_bytes_per_event: ratio(tob && tob.bytes_per_event, s.bytes_per_event),
    tobops_http_over_peer_load_rate: ratio(http && http.events_per_s, s.events_per_s),
  };
}

const result = {
  benchmark: 'ingest',
  generated_at: new Date().toISOString(),
  ...meta,
  tobops_import: tob,
  tobops_http: http,
  peers,
};
fs.mkdirSync(new URL('.', `file://${outPath}`).pathname, { recursive: true });
fs.writeFileSync(outPath, JSON.stringify(result, null, 2) + '\n');

const f = (x, d = 0) => (x == null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const rows = [];
rows.push(['engine', 'runs', 'load events/s', 'bytes/event', 'tobops/peer rate', 'tobops/peer bytes']);
if (tob) rows.push(['tobops import (NDJSON)', String(tob.runs), f(tob.events_per_s), `${f(tob.bytes_per_event, 1)} (seg ${f(tob.segments_bytes_per_event, 1)})`, '1.00', '1.00']);
if (http) rows.push([`tobops HTTP /v1/batch (${meta.http_batch}×${meta.http_connections} conns)`, String(http.runs), f(http.events_per_s), http.bytes_per_event == null ? '—' : f(http.bytes_per_event, 1), '', '']);
for (const [name, label] of [['clickhouse', 'ClickHouse 18.16 MergeTree (CSV)'], ['duckdb', 'DuckDB (CSV)']]) {
  const p = peers[name];
  if (!p) continue;
  rows.push([label, String(p.runs), f(p.events_per_s), f(p.bytes_per_event, 1),
    f(p.tobops_over_peer_load_rate, 2), f(p.tobops_over_peer_bytes_per_event, 2)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log('');
console.log(`ingest benchmark — ${f(meta.events)} demo events (${meta.ndjson_bytes_per_event ? f(meta.ndjson_bytes_per_event) + ' NDJSON bytes/event, ' : ''}medians; ${meta.host || ''})`);
console.log(line(rows[0]));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
console.log('');
console.log('tobops/peer rate > 1: tobops loads faster; tobops/peer bytes < 1: tobops is smaller on disk.');
if (http && tob) console.log(`HTTP ingest (durable acks) = ${f(http.events_per_s / tob.events_per_s, 2)} × the file import rate.`);
if (meta.csv_seconds) console.log(`NDJSON→CSV conversion for the peers (not counted): ${f(meta.csv_seconds, 1)} s.`);
console.log(`results: ${outPath}`);
