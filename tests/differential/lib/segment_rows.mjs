// Flattens raw Segment messages (the NDJSON of `tobops demo --out`) into the CSV that the
// peer engines (ClickHouse, DuckDB) load as their `raw` table: one row per message, in
// file order (`seq`), with the ids exactly as sent and NO identity resolution — the peers
// resolve persons and accounts themselves in SQL (identity_clickhouse.mjs,
// identity_duckdb.mjs), independently of tobops.
//
// What is taken from each message, and why:
// - seq: the line number; tobops applies identity messages in arrival order, and the
//   demo stream's arrival order is its file order.
// - event: the track event, else `$pageview` / `$screen` / `$identify` / `$group` /
//   `$alias` for the other message types (store/event.h).
// - ts_ms: `timestamp`, else `originalTimestamp`, as epoch ms. tobops corrects clock skew
//   with `sentAt`; messages carrying `sentAt` are refused here (not modelled).
// - ids: userId, anonymousId, previousId (alias), groupId (group), context.groupId.
// - the event properties the comparisons filter or break down by, and the traits
//   `role` (identify) and `industry` (group).
// Missing strings are empty; `amount` is 0 with has_amount = 0 when absent.
import fs from 'node:fs';

export const COLUMNS = [
  { name: 'seq', ch: 'UInt64', duck: 'UBIGINT' },
  { name: 'message_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'type', ch: 'String', duck: 'VARCHAR' },
  { name: 'event', ch: 'String', duck: 'VARCHAR' },
  { name: 'ts_ms', ch: 'Int64', duck: 'BIGINT' },
  { name: 'user_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'anonymous_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'previous_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'group_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'ctx_group_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'channel', ch: 'String', duck: 'VARCHAR' },
  { name: 'plan', ch: 'String', duck: 'VARCHAR' },
  { name: 'method', ch: 'String', duck: 'VARCHAR' },
  { name: 'feature', ch: 'String', duck: 'VARCHAR' },
  { name: 'path', ch: 'String', duck: 'VARCHAR' },
  { name: 'content_type', ch: 'String', duck: 'VARCHAR' },
  { name: 'amount', ch: 'Float64', duck: 'DOUBLE' },
  { name: 'has_amount', ch: 'UInt8', duck: 'UTINYINT' },
  { name: 'trait_role', ch: 'String', duck: 'VARCHAR' },
  { name: 'trait_industry', ch: 'String', duck: 'VARCHAR' },
];

const EVENT_OF_TYPE = { page: '$pageview', screen: '$screen', identify: '$identify',
  group: '$group', alias: '$alias' };

// Every non-empty string is double-quoted: ClickHouse 18.16 would otherwise read a field
// starting with ' as single-quoted (format_csv_allow_single_quotes).
function str(v) {
  if (v === undefined || v === null) return '';
  const s = typeof v === 'string' ? v : String(v);
  return s === '' ? '' : '"' + s.replace(/"/g, '""') + '"';
}

function timestampMs(m) {
  const t = m.timestamp ?? m.originalTimestamp;
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`message ${m.messageId}: no parsable timestamp`);
  return ms;
}

// One CSV line (no newline) for message `m`, the seq-th of the stream (1-based).
export function csvRow(m, seq) {
  if (m.sentAt !== undefined) {
    throw new Error(`message ${m.messageId} carries sentAt: clock-skew correction is not modelled`);
  }
  const props = m.properties || {};
  const ctx = m.context || {};
  const traits = m.traits || {};
  const hasAmount = props.amount !== undefined && props.amount !== null;
  const amount = hasAmount ? Number(props.amount) : 0;
  return seq + ',' +
    str(m.messageId) + ',' +
    str(m.type) + ',' +
    str(m.type === 'track' ? m.event : (EVENT_OF_TYPE[m.type] || m.type)) + ',' +
    timestampMs(m) + ',' +
    str(m.userId) + ',' +
    str(m.anonymousId) + ',' +
    str(m.previousId) + ',' +
    str(m.groupId) + ',' +
    str(ctx.groupId) + ',' +
    str(props.channel) + ',' +
    str(props.plan) + ',' +
    str(props.method) + ',' +
    str(props.feature) + ',' +
    str(props.path) + ',' +
    str(props.content_type) + ',' +
    (Number.isFinite(amount) ? amount : 0) + ',' +
    (hasAmount ? 1 : 0) + ',' +
    str(traits.role) + ',' +
    str(traits.industry);
}

// Converts the NDJSON file to CSV; calls progress(rows, fraction) now and then.
// Returns the number of rows.
export function convertNdjsonToCsv(inPath, outPath, progress = () => {}) {
  const inFd = fs.openSync(inPath, 'r');
  const outFd = fs.openSync(outPath, 'w');
  const total = fs.fstatSync(inFd).size;
  const buf = Buffer.allocUnsafe(4 << 20);
  let carry = Buffer.alloc(0);
  let readBytes = 0;
  let seq = 0;
  let last = Date.now();
  const emit = (lines) => {
    const out = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      out.push(csvRow(JSON.parse(line), ++seq));
    }
    if (out.length) fs.writeSync(outFd, out.join('\n') + '\n');
  };
  try {
    for (;;) {
      const n = fs.readSync(inFd, buf, 0, buf.length, null);
      if (n === 0) break;
      readBytes += n;
      const chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const lastNl = chunk.lastIndexOf(10);
      if (lastNl < 0) { carry = Buffer.from(chunk); continue; }
      emit(chunk.toString('utf8', 0, lastNl).split('\n'));
      carry = Buffer.from(chunk.subarray(lastNl + 1));
      if (Date.now() - last > 2000) {
        last = Date.now();
        progress(seq, readBytes / total);
      }
    }
    emit([carry.toString('utf8')]);
  } finally {
    fs.closeSync(outFd);
    fs.closeSync(inFd);
  }
  progress(seq, 1);
  return seq;
}

export function clickhouseRawDdl(table = 'raw') {
  return `CREATE TABLE ${table} (${COLUMNS.map((c) => `${c.name} ${c.ch}`).join(', ')}) ` +
    'ENGINE = MergeTree ORDER BY seq';
}

export function duckdbRawDdl(table = 'raw') {
  return `CREATE TABLE ${table} (${COLUMNS.map((c) => `${c.name} ${c.duck}`).join(', ')})`;
}
