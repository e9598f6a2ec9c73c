// The peer engines' event table: the columns tobops' analytics use, flattened.
// ClickHouse 18.16 has no DateTime64, so the event time is DateTime (UTC) + ms UInt16.
// Run `node schema.mjs clickhouse|duckdb TABLE` to print the CREATE TABLE statement.
export const COLUMNS = [
  { name: 'message_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'ts', ch: 'DateTime', duck: 'TIMESTAMP' },
  { name: 'ts_ms', ch: 'UInt16', duck: 'USMALLINT' },
  { name: 'type', ch: 'String', duck: 'VARCHAR' },
  { name: 'event', ch: 'String', duck: 'VARCHAR' },
  { name: 'person', ch: 'String', duck: 'VARCHAR' },
  { name: 'user_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'anonymous_id', ch: 'String', duck: 'VARCHAR' },
  { name: 'account', ch: 'String', duck: 'VARCHAR' },
  { name: 'channel', ch: 'String', duck: 'VARCHAR' },
  { name: 'utm_source', ch: 'String', duck: 'VARCHAR' },
  { name: 'utm_medium', ch: 'String', duck: 'VARCHAR' },
  { name: 'utm_campaign', ch: 'String', duck: 'VARCHAR' },
  { name: 'utm_term', ch: 'String', duck: 'VARCHAR' },
  { name: 'utm_content', ch: 'String', duck: 'VARCHAR' },
  { name: 'url', ch: 'String', duck: 'VARCHAR' },
  { name: 'path', ch: 'String', duck: 'VARCHAR' },
  { name: 'referrer', ch: 'String', duck: 'VARCHAR' },
  { name: 'title', ch: 'String', duck: 'VARCHAR' },
  { name: 'feature', ch: 'String', duck: 'VARCHAR' },
  { name: 'plan', ch: 'String', duck: 'VARCHAR' },
  { name: 'method', ch: 'String', duck: 'VARCHAR' },
  { name: 'amount', ch: 'Float64', duck: 'DOUBLE' },
  { name: 'role', ch: 'String', duck: 'VARCHAR' },
  { name: 'industry', ch: 'String', duck: 'VARCHAR' },
  { name: 'ip', ch: 'String', duck: 'VARCHAR' },
  { name: 'user_agent', ch: 'String', duck: 'VARCHAR' },
  { name: 'locale', ch: 'String', duck: 'VARCHAR' },
  { name: 'lib', ch: 'String', duck: 'VARCHAR' },
  { name: 'extra', ch: 'String', duck: 'VARCHAR' },
];

export const SORT_KEY = ['account', 'person', 'ts', 'ts_ms'];

export function clickhouseDdl(table) {
  const cols = COLUMNS.map((c) => `  ${c.name} ${c.ch}`).join(',\n');
  // 18.16 syntax: custom partitioning key + ORDER BY; one partition per month.
  return `CREATE TABLE ${table} (\n${cols}\n) ENGINE = MergeTree()\n` +
    `PARTITION BY toYYYYMM(ts) ORDER BY (${SORT_KEY.join(', ')})`;
}

export function duckdbDdl(table) {
  const cols = COLUMNS.map((c) => `  ${c.name} ${c.duck}`).join(',\n');
  return `CREATE TABLE ${table} (\n${cols}\n)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [, , engine, table = 'events'] = process.argv;
  if (engine === 'clickhouse') console.log(clickhouseDdl(table));
  else if (engine === 'duckdb') console.log(duckdbDdl(table));
  else { console.error('usage: node schema.mjs clickhouse|duckdb [TABLE]'); process.exit(2); }
}
