// Loads the benchmark CSV into a fresh DuckDB database file and prints one JSON line:
//   {"rows":N,"seconds":S,"rows_per_s":R,"file_bytes":B,"threads":T}
// Timed: CREATE TABLE + COPY FROM the CSV + CHECKPOINT (so the data is in the file).
// Usage: node duckdb_load.mjs DB_FILE CSV_FILE
import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbDdl } from './schema.mjs';

const [, , dbPath, csvPath] = process.argv;
if (!dbPath || !csvPath) {
  console.error('usage: node duckdb_load.mjs DB_FILE CSV_FILE');
  process.exit(2);
}
for (const p of [dbPath, dbPath + '.wal']) fs.rmSync(p, { force: true });

const instance = await DuckDBInstance.create(dbPath);
const conn = await instance.connect();
const threads = (await (await conn.run("SELECT current_setting('threads')")).getRows())[0][0];
const t0 = process.hrtime.bigint();
await conn.run(duckdbDdl('events'));
const quoted = csvPath.replace(/'/g, "''");
await conn.run(`COPY events FROM '${quoted}' (FORMAT csv, HEADER false, DELIMITER ',', ` +
  `QUOTE '"', ESCAPE '"', NULL '')`);
await conn.run('CHECKPOINT');
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const rows = Number((await (await conn.run('SELECT count(*) FROM events')).getRows())[0][0]);
conn.closeSync();
instance.closeSync();
let bytes = 0;
for (const p of [dbPath, dbPath + '.wal']) {
  try { bytes += fs.statSync(p).size; } catch { /* absent */ }
}
console.log(JSON.stringify({ rows, seconds, rows_per_s: rows / seconds, file_bytes: bytes,
  threads: Number(threads) }));
