// Converts an NDJSON file of Segment messages into the CSV that the peer engines
// (ClickHouse, DuckDB) load: one row per message, the fields the analytics use as
// flat columns, everything else tobops would keep as a property in `extra` (JSON).
// Usage: node ndjson_to_csv.mjs IN.ndjson OUT.csv
// The column list is COLUMNS below; schema.mjs derives both engines' DDL from it.
import fs from 'node:fs';
import { COLUMNS } from './schema.mjs';

const [, , inPath, outPath] = process.argv;
if (!inPath || !outPath) {
  console.error('usage: node ndjson_to_csv.mjs IN.ndjson OUT.csv');
  process.exit(2);
}

const FLAT_PROPS = new Set(['channel', 'url', 'path', 'referrer', 'title', 'feature', 'plan',
  'method', 'amount']);
const FLAT_TRAITS = new Set(['role', 'industry']);
const EVENT_OF_TYPE = { page: '$pageview', screen: '$screen', identify: '$identify',
  group: '$group', alias: '$alias' };

const NEEDS_QUOTE = /[",\n\r]/;
function csv(v) {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v !== 'string') return String(v);
  if (NEEDS_QUOTE.test(v) || v.charCodeAt(0) === 32 || v.charCodeAt(v.length - 1) === 32) {
    return '"' + v.replace(/"/g, '""') + '"';
  }
  return v;
}

// One CSV line per message, fields in COLUMNS order (checked at start-up below).
const ORDER = ['message_id', 'ts', 'ts_ms', 'type', 'event', 'person', 'user_id', 'anonymous_id',
  'account', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
  'url', 'path', 'referrer', 'title', 'feature', 'plan', 'method', 'amount', 'role', 'industry',
  'ip', 'user_agent', 'locale', 'lib', 'extra'];
if (ORDER.join() !== COLUMNS.map((c) => c.name).join()) throw new Error('column order mismatch');

function row(m) {
  const props = m.properties || {};
  const ctx = m.context || {};
  const camp = ctx.campaign || {};
  const page = ctx.page || {};
  const traits = m.traits || ctx.traits || {};
  let ms = typeof m.timestamp === 'number' ? m.timestamp : Date.parse(m.timestamp);
  if (!Number.isFinite(ms)) ms = 0;
  const iso = new Date(ms).toISOString();  // YYYY-MM-DDTHH:MM:SS.mmmZ
  let extra = '';
  let ex = null;
  for (const k in props) if (!FLAT_PROPS.has(k)) { (ex ||= {})[k] = props[k]; }
  for (const k in traits) if (!FLAT_TRAITS.has(k)) { (ex ||= {})['trait.' + k] = traits[k]; }
  if (m.name !== undefined) (ex ||= {}).name = m.name;
  if (m.previousId !== undefined) (ex ||= {}).previousId = m.previousId;
  if (ex) extra = JSON.stringify(ex);
  const amount = props.amount === undefined ? 0 : Number(props.amount);
  return csv(m.messageId) + ',' +
    iso.slice(0, 10) + ' ' + iso.slice(11, 19) + ',' +
    (ms % 1000 + 1000) % 1000 + ',' +
    csv(m.type) + ',' +
    csv(m.type === 'track' ? m.event : (EVENT_OF_TYPE[m.type] || m.type)) + ',' +
    csv(m.userId ? m.userId : (m.anonymousId ? 'anon:' + m.anonymousId : '')) + ',' +
    csv(m.userId) + ',' +
    csv(m.anonymousId) + ',' +
    csv(ctx.groupId || m.groupId) + ',' +
    csv(props.channel) + ',' +
    csv(camp.source) + ',' +
    csv(camp.medium) + ',' +
    csv(camp.name) + ',' +
    csv(camp.term) + ',' +
    csv(camp.content) + ',' +
    csv(props.url || page.url) + ',' +
    csv(props.path || page.path) + ',' +
    csv(props.referrer || page.referrer) + ',' +
    csv(props.title || page.title) + ',' +
    csv(props.feature) + ',' +
    csv(props.plan) + ',' +
    csv(props.method) + ',' +
    (Number.isFinite(amount) ? amount : 0) + ',' +
    csv(traits.role) + ',' +
    csv(traits.industry) + ',' +
    csv(ctx.ip) + ',' +
    csv(ctx.userAgent) + ',' +
    csv(ctx.locale) + ',' +
    csv(ctx.library && ctx.library.name) + ',' +
    csv(extra);
}

const inFd = fs.openSync(inPath, 'r');
const outFd = fs.openSync(outPath, 'w');
const total = fs.fstatSync(inFd).size;
const buf = Buffer.allocUnsafe(1 << 20);
let carry = Buffer.alloc(0);
let readBytes = 0;
let rows = 0;
let lastReport = Date.now();
const t0 = Date.now();
for (;;) {
  const n = fs.readSync(inFd, buf, 0, buf.length, null);
  if (n === 0) break;
  readBytes += n;
  let chunk = carry.length ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
  const lastNl = chunk.lastIndexOf(10);
  if (lastNl < 0) { carry = Buffer.from(chunk); continue; }
  const text = chunk.toString('utf8', 0, lastNl);
  carry = Buffer.from(chunk.subarray(lastNl + 1));
  const lines = text.split('\n');
  const outLines = [];
  for (const line of lines) {
    if (!line) continue;
    outLines.push(row(JSON.parse(line)));
    rows++;
  }
  fs.writeSync(outFd, outLines.join('\n') + '\n');
  if (Date.now() - lastReport > 2000) {
    lastReport = Date.now();
    const pct = Math.round(100 * readBytes / total);
    process.stderr.write(`\r  csv: ${rows} rows (${pct}%), ${Math.round(rows / ((Date.now() - t0) / 1000))}/s   `);
  }
}
if (carry.length && carry.toString('utf8').trim()) {
  fs.writeSync(outFd, row(JSON.parse(carry.toString('utf8'))) + '\n');
  rows++;
}
fs.closeSync(outFd);
fs.closeSync(inFd);
process.stderr.write(`\r  csv: ${rows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s          \n`);
console.log(JSON.stringify({ rows }));
