// DuckDB in its own process, so that the benchmark can read DuckDB's peak memory
// (VmHWM of this process) the same way as tobops' and ClickHouse's. The parent
// (bench.mjs) sends {id, op: 'exec' | 'rows', sql} over the fork IPC channel and gets
// {id, rows?, seconds, error?} back; 'rows' answers plain JS values. {op: 'interrupt'}
// stops the running statement (the benchmark's time limit).
// Usage: fork('duckdb_worker.mjs', [DB_FILE])
import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const dbPath = process.argv[2];
for (const p of [dbPath, `${dbPath}.wal`]) fs.rmSync(p, { force: true });
const instance = await DuckDBInstance.create(dbPath);
const conn = await instance.connect();

// getRowObjectsJS gives JS values: BIGINT as BigInt (made Numbers here; counts and ms
// timestamps fit), lists as arrays, dates as Date (made 'YYYY-MM-DD').
function plain(v) {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

process.on('message', async ({ id, op, sql }) => {
  // Arrives while a statement runs (its await yields to this handler): stops it.
  if (op === 'interrupt') {
    conn.interrupt();
    return;
  }
  const t0 = process.hrtime.bigint();
  try {
    if (op === 'exec') {
      await conn.run(sql);
      process.send({ id, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    } else if (op === 'rows') {
      const reader = await conn.runAndReadAll(sql);
      const rows = reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, plain(v)])));
      process.send({ id, rows, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    } else if (op === 'close') {
      conn.closeSync();
      instance.closeSync();
      process.send({ id });
      process.exit(0);
    }
  } catch (e) {
    process.send({ id, error: `${e.message}\nquery: ${sql}` });
  }
});
process.send({ ready: true, version: (await (await conn.runAndReadAll('SELECT version() AS v')).getRowObjects())[0].v });
