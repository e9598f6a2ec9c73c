// The trend kind (docs/http_api.md "Queries", docs/analytics.md) in ClickHouse SQL over
// `ev`, answering in the normalized shape of compare.mjs:
//   [{series, breakdown_value, total, points: {'YYYY-MM-DD': value}}]   (zero points left out)
// Semantics restated: buckets are local (Asia/Shanghai) days, ISO weeks from Monday or
// months; the range is from the bucket holding `from` to the end of the bucket holding
// `to` (TimeBuckets floors the range start to its bucket); events: count; persons and
// accounts: distinct per bucket, and distinct over the range for the total; events without
// an account count for no account; a breakdown takes the event's own property or the
// current trait, '' (absent) being the value null.
import { eventConditionSql, filtersSql, propertyColumn, sqlString } from './ch_filters.mjs';

const BUCKET = { day: 'day', week: 'toMonday(day)', month: 'toStartOfMonth(day)' };
const MEASURE = {
  events: 'count()',
  persons: 'uniqExact(person)',
  accounts: "uniqExactIf(account, account != '')",
};

export function rangeSql(range, interval) {
  if (!range || !range.from || !range.to) throw new Error('the ClickHouse model needs range {from, to}');
  const floor = (d) => ({ day: d, week: `toMonday(${d})`, month: `toStartOfMonth(${d})` }[interval]);
  const from = floor(`toDate(${sqlString(range.from)})`);
  const last = floor(`toDate(${sqlString(range.to)})`);
  const end = { day: `${last} + 1`, week: `${last} + 7`, month: `addMonths(${last}, 1)` }[interval];
  return `day >= ${from} AND day < ${end}`;
}

export async function trendClickHouse(ch, spec) {
  const interval = spec.interval || 'day';
  if (!BUCKET[interval]) throw new Error(`interval ${interval} is not modelled`);
  const breakdown = spec.breakdown ? propertyColumn(spec.breakdown) : null;
  const key = breakdown || "''";
  const out = [];
  for (const [i, s] of spec.series.entries()) {
    const measure = MEASURE[s.measure || 'events'];
    const where = `${rangeSql(spec.range, interval)} AND ${eventConditionSql(s.event, s.filters)} AND ` +
      `${filtersSql(spec.filters)}`;
    // Points and range totals in one request (the parts of a UNION ALL run in parallel).
    const rows = await ch.rows(`SELECT ${key} AS b, toString(${BUCKET[interval]}) AS t, ${measure} AS v
      FROM ev WHERE ${where} GROUP BY b, t
      UNION ALL SELECT ${key} AS b, 'total' AS t, ${measure} AS v FROM ev WHERE ${where} GROUP BY b`);
    const totals = rows.filter((r) => r.t === 'total');
    const points = rows.filter((r) => r.t !== 'total');
    const byValue = new Map();
    for (const { b, v } of totals) {
      if (Number(v) === 0) continue;
      byValue.set(b, { series: i, breakdown_value: breakdown && b !== '' ? b : null, total: Number(v), points: {} });
    }
    for (const { b, t, v } of points) {
      if (Number(v) !== 0) byValue.get(b).points[t] = Number(v);
    }
    if (!breakdown && byValue.size === 0) byValue.set('', { series: i, breakdown_value: null, total: 0, points: {} });
    out.push(...byValue.values());
  }
  return out;
}

// tobops' trend answer → the same normalized shape. Series are matched to the spec by
// their label: the spec gives each series a unique label L; tobops labels breakdown
// series "L · value".
export function normalizeTobopsTrend(spec, answer) {
  const out = [];
  for (const s of answer.series) {
    const i = spec.series.findIndex((x) => s.label === x.label || s.label.startsWith(`${x.label} · `));
    if (i < 0) throw new Error(`tobops answered a series labelled ${JSON.stringify(s.label)} that the spec has not`);
    const points = {};
    for (const p of s.points) if (p.value !== 0) points[p.t.slice(0, 10)] = p.value;
    if (spec.breakdown && s.total === 0) continue;
    out.push({ series: i, breakdown_value: spec.breakdown ? s.breakdown_value : null, total: s.total, points });
  }
  return out;
}

// Normalized trend → figures for compare.mjs.
export function trendFigures(normalized) {
  const entries = [];
  for (const s of normalized) {
    const key = `series ${s.series} · ${s.breakdown_value === null ? 'null' : s.breakdown_value}`;
    entries.push([`${key} · total`, s.total]);
    for (const [t, v] of Object.entries(s.points)) entries.push([`${key} · ${t}`, v]);
  }
  return entries;
}
