// The benchmark questions in DuckDB SQL over `ev` (identity_duckdb.mjs), with the same
// semantics as the ClickHouse models in tests/differential/lib (ch_trend.mjs,
// ch_funnel.mjs, ch_retention.mjs state them) and answers in the same shapes, so the
// figures of all three engines can be compared. DuckDB has window functions, so the
// per-entity processing order and the running counts of the funnel come from
// row_number() / sum() OVER (PARTITION BY entity ORDER BY time, step, arrival).
import { eventConditionSql, filtersSql, propertyColumn, localDayStartMs, sqlString }
  from '../../tests/differential/lib/ch_filters.mjs';
import { durationMs } from '../../tests/differential/lib/ch_funnel.mjs';

// ch_filters.mjs writes ClickHouse SQL; the few spots where DuckDB differs.
function duck(sql) {
  return sql
    .replace(/bitAnd\(([^,]+), (\d+)\)/g, '($1 & $2)')
    .replace(/\\'/g, "''");
}

// Epoch day of a local day 'YYYY-MM-DD' (Asia/Shanghai, UTC+8, no DST).
const epochDay = (day) => Math.floor((localDayStartMs(day) + 8 * 3600000) / 86400000);
const DNUM = 'CAST((ts_ms + 28800000) // 86400000 AS BIGINT)';

// trend, interval day only (the benchmark's question 1).
export async function trendDuckDB(db, spec) {
  if ((spec.interval || 'day') !== 'day') throw new Error('the DuckDB model does days only');
  const breakdown = spec.breakdown ? propertyColumn(spec.breakdown) : null;
  const key = breakdown || "''";
  const out = [];
  for (const [i, s] of spec.series.entries()) {
    const measure = { events: 'count(*)', persons: 'count(DISTINCT person)',
      accounts: "count(DISTINCT account) FILTER (WHERE account <> '')" }[s.measure || 'events'];
    const where = duck(`day >= DATE ${sqlString(spec.range.from)} AND day <= DATE ${sqlString(spec.range.to)} AND ` +
      `${eventConditionSql(s.event, s.filters)} AND ${filtersSql(spec.filters)}`);
    const rows = await db.rows(`SELECT ${key} AS b, strftime(day, '%Y-%m-%d') AS t, ${measure} AS v
      FROM ev WHERE ${where} GROUP BY ALL
      UNION ALL SELECT ${key} AS b, 'total' AS t, ${measure} AS v FROM ev WHERE ${where} GROUP BY ALL`);
    const byValue = new Map();
    for (const { b, t, v } of rows) {
      if (t !== 'total' || Number(v) === 0) continue;
      byValue.set(b, { series: i, breakdown_value: breakdown && b !== '' ? b : null, total: Number(v), points: {} });
    }
    for (const { b, t, v } of rows) if (t !== 'total' && Number(v) !== 0) byValue.get(b).points[t] = Number(v);
    out.push(...byValue.values());
  }
  return out;
}

// funnel, order "ordered", unique counting: the rank-join algorithm of ch_funnel.mjs.
export async function funnelDuckDB(db, spec) {
  if ((spec.order || 'ordered') !== 'ordered') throw new Error('the DuckDB model does ordered funnels only');
  const k = spec.steps.length;
  const W = durationMs(spec.window || '14d');
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account <> ''" : 'true';
  const b = spec.breakdown ? propertyColumn(spec.breakdown) : "''";
  const fromMs = localDayStartMs(spec.range.from);
  const toMs = localDayStartMs(spec.range.to) + 86400000;
  const cond = spec.steps.map((s) => {
    const filters = [...(s.filters || [])];
    if (s.role) filters.push({ source: 'person', property: 'role', op: 'eq', value: s.role });
    return duck(eventConditionSql(s.event === '$any' ? '$all' : s.event, filters));
  });
  const mask = cond.map((c, i) => `(CASE WHEN ${c} THEN ${2 ** i} ELSE 0 END)`).join(' + ');
  const low = `CASE ${spec.steps.map((_, i) => `WHEN mask & ${2 ** i} <> 0 THEN ${i}`).join(' ')} ELSE ${k + 1} END`;
  const counts = spec.steps.slice(1).map((_, i) =>
    `sum(CASE WHEN mask & ${2 ** (i + 1)} <> 0 THEN 1 ELSE 0 END) OVER w AS c${i + 1}`);
  const steps = [];
  const joins = [];
  const levels = ['1'];
  for (let j = 1; j < k; ++j) {
    steps.push(`s${j} AS (SELECT e, c${j} AS r${j}, ts AS t${j}${j + 1 < k ? `, c${j + 1} AS n${j}` : ''} FROM r WHERE mask & ${2 ** j} <> 0)`);
    const key = j === 1 ? 'st.c1 + 1' : `s${j - 1}.n${j - 1} + 1`;
    const prevOk = j === 1 ? '' : ` AND s${j - 1}.t${j - 1} - st.ts <= ${W}`;
    joins.push(`LEFT JOIN s${j} ON s${j}.e = st.e AND s${j}.r${j} = ${key}${prevOk}`);
    levels.push(`CASE WHEN s${j}.t${j} - st.ts <= ${W} THEN 1 ELSE 0 END`);
  }
  const reachCases = spec.steps.slice(1).map((_, i) => `WHEN level = ${i + 2} THEN t${i + 1}`).reverse().join(' ');
  const sql = `
    WITH base AS (
      SELECT ${ent} AS e, ts_ms, seq, ${mask} AS mask, ${duck(b)} AS bval FROM ev
      WHERE ts_ms >= ${fromMs} AND ts_ms < ${toMs} AND ${entOk} AND ${duck(filtersSql(spec.filters))}),
    r AS (
      SELECT e, ts_ms AS ts, mask, bval, row_number() OVER w AS pos, ${counts.join(', ')}
      FROM (SELECT *, ${low} AS low FROM base WHERE mask <> 0)
      WINDOW w AS (PARTITION BY e ORDER BY ts_ms, low, seq ROWS UNBOUNDED PRECEDING)),
    ${steps.join(',\n    ')},
    chain AS (
      SELECT st.e, st.bval, st.ts AS t0, st.pos AS p0, ${spec.steps.slice(1).map((_, i) => `s${i + 1}.t${i + 1}`).join(', ')},
             ${levels.join(' + ')} AS level
      FROM (SELECT * FROM r WHERE mask & 1 <> 0) st
      ${joins.join('\n      ')}),
    per_entity AS (
      SELECT e, max(level) AS furthest,
             arg_max(bval, [level, -(CASE ${reachCases} ELSE t0 END), t0, -p0]) AS bv
      FROM chain GROUP BY e)
    SELECT bv, furthest, count(*) AS n FROM per_entity GROUP BY ALL`;
  const result = await db.rows(sql);
  const groups = new Map();
  for (const { bv, furthest, n } of result) {
    const key = spec.breakdown ? bv : '';
    if (!groups.has(key)) groups.set(key, new Array(k).fill(0));
    const c = groups.get(key);
    for (let i = 0; i < Number(furthest); ++i) c[i] += Number(n);
  }
  return [...groups].map(([v, c]) => ({ breakdown_value: spec.breakdown ? (v === '' ? null : v) : undefined, counts: c }));
}

// retention, period week, no breakdown (the benchmark's question 4); rows as
// ch_retention.mjs returns them.
export async function retentionDuckDB(db, spec) {
  if ((spec.period || 'week') !== 'week' || spec.breakdown) throw new Error('the DuckDB model does weekly retention without breakdown');
  const periods = spec.periods ?? 8;
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account <> ''" : 'true';
  // Monday-based week number of an epoch day (1970-01-01 was a Thursday).
  const week = (dnum) => `((${dnum} + 3) // 7)`;
  const w0 = Math.floor((epochDay(spec.range.from) + 3) / 7);
  const cohorts = Math.floor((epochDay(spec.range.to) + 3) / 7) - w0 + 1;
  const cond = (c) => duck(eventConditionSql(c.event === '$any' ? '$all' : c.event, c.filters || []));
  const where = `${entOk} AND ${duck(filtersSql(spec.filters))}`;
  const members = (spec.mode || 'first_time') === 'first_time'
    ? `SELECT ${ent} AS e, ${week(`CAST((min(ts_ms) + 28800000) // 86400000 AS BIGINT)`)} - ${w0} AS cohort
       FROM ev WHERE ${where} AND ${cond(spec.start)} GROUP BY e HAVING cohort >= 0 AND cohort < ${cohorts}`
    : `SELECT DISTINCT ${ent} AS e, ${week(DNUM)} - ${w0} AS cohort FROM ev
       WHERE ${where} AND ${cond(spec.start)} AND ${week(DNUM)} - ${w0} BETWEEN 0 AND ${cohorts - 1}`;
  const returns = `SELECT DISTINCT ${ent} AS e, ${week(DNUM)} - ${w0} AS period FROM ev
       WHERE ${where} AND ${cond(spec.return)} AND ${week(DNUM)} - ${w0} BETWEEN 1 AND ${cohorts + periods - 1}`;
  const rows = await db.rows(`WITH m AS (${members}), ret AS (${returns})
    SELECT cohort, 0 AS k, count(*) AS n FROM m GROUP BY ALL
    UNION ALL
    SELECT m.cohort, ret.period - m.cohort AS k, count(*) AS n FROM m JOIN ret USING (e)
    WHERE ret.period > m.cohort AND ret.period <= m.cohort + ${periods} GROUP BY ALL`);
  const monday0 = new Date(Date.UTC(1970, 0, 1) + ((w0 * 7) - 3) * 86400000);
  return rows.map((r) => ({
    breakdown_value: undefined,
    cohort: new Date(monday0.getTime() + Number(r.cohort) * 7 * 86400000).toISOString().slice(0, 10),
    k: Number(r.k), n: Number(r.n),
  }));
}
