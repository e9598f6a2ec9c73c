// tobops filter and property specs → ClickHouse SQL over the `ev` table
// (identity_clickhouse.mjs). Only the properties `ev` carries can be expressed; anything
// else throws, so a comparison never silently drops a filter.
//
// Absent properties are '' in `ev` (amount: has_amount = 0). tobops' rules
// (docs/analytics.md "Filters and breakdowns"): an absent property satisfies only neq,
// not_in and is_not_set; gt/gte/lt/lte compare numbers.

const COLUMNS = {
  event: { channel: 'channel', plan: 'plan', method: 'method', feature: 'feature', path: 'path',
    content_type: 'content_type', amount: 'amount' },
  account: { industry: 'industry' },
  person: { role: 'role' },
};
const NUMERIC = new Set(['amount']);

export function sqlString(s) {
  return "'" + String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

// {source, property} or "property" (event source) → the `ev` column.
export function propertyColumn(ref) {
  const source = typeof ref === 'string' ? 'event' : (ref.source || 'event');
  const property = typeof ref === 'string' ? ref : ref.property;
  const column = COLUMNS[source] && COLUMNS[source][property];
  if (!column) throw new Error(`the ClickHouse model has no column for ${source} property "${property}"`);
  return column;
}

function literal(column, v) {
  if (NUMERIC.has(column)) {
    if (typeof v !== 'number') throw new Error(`numeric property ${column} compared with ${JSON.stringify(v)}`);
    return String(v);
  }
  return sqlString(v);
}

export function filterSql(f) {
  const column = propertyColumn({ source: f.source, property: f.property });
  const isSet = NUMERIC.has(column) ? 'has_amount = 1' : `${column} != ''`;
  const list = () => (f.value || []).map((v) => literal(column, v)).join(', ');
  switch (f.op) {
    case 'eq': return `(${isSet} AND ${column} = ${literal(column, f.value)})`;
    case 'neq': return `(NOT (${isSet}) OR ${column} != ${literal(column, f.value)})`;
    case 'in': return `(${isSet} AND ${column} IN (${list()}))`;
    case 'not_in': return `(NOT (${isSet}) OR ${column} NOT IN (${list()}))`;
    case 'is_set': return `(${isSet})`;
    case 'is_not_set': return `(NOT (${isSet}))`;
    case 'gt': case 'gte': case 'lt': case 'lte': {
      if (!NUMERIC.has(column)) throw new Error(`${f.op} on a text column is not modelled`);
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op];
      return `(${isSet} AND ${column} ${op} ${literal(column, f.value)})`;
    }
    default: throw new Error(`filter op ${f.op} is not modelled`);
  }
}

// AND of all filters; '1' when there are none.
export function filtersSql(filters = []) {
  return filters.length ? filters.map(filterSql).join(' AND ') : '1';
}

// An event condition: name ('$all' / empty = any) plus its filters.
export function eventConditionSql(event, filters = []) {
  const name = !event || event === '$all' ? '1' : `event = ${sqlString(event)}`;
  return `(${name} AND ${filtersSql(filters)})`;
}

// Epoch ms of a local (Asia/Shanghai, no DST) day start, 'YYYY-MM-DD'.
export function localDayStartMs(day) {
  return Date.parse(`${day}T00:00:00+08:00`);
}
