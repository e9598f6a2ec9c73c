// The retention kind (docs/analytics/retention.md) in ClickHouse SQL over `ev`.
// Semantics restated:
// - cohort periods: the calendar periods (local days, Monday weeks, months) from the one
//   holding range.from to the one holding range.to; follow-up periods after them.
// - first_time: an entity's cohort is the period of its first start event ever; if that
//   is outside the cohort periods the entity is in no cohort. recurring: every cohort
//   period with a start event is a membership.
// - values[0] is the cohort size; values[k] (k = 1..periods) counts members with a return
//   event in period cohort + k (returns in the cohort's own period do not count).
// - aggregate_by account: events without an account belong to no entity.
// - breakdown: the value of the membership's start event (the first start event of the
//   entity in that period; for first_time its first start event), '' = null.
// - global filters remove rows before anything else.
// Also ClickHouse's retention(c1, c2, …) aggregate is not used: it asks "did the entity
// do cN at all", not "in period cohort + k".
import { eventConditionSql, filtersSql, propertyColumn, sqlString } from './ch_filters.mjs';

const REL = { day: 'toRelativeDayNum', week: 'toRelativeWeekNum', month: 'toRelativeMonthNum' };
const FLOOR = { day: (d) => d, week: (d) => `toMonday(${d})`, month: (d) => `toStartOfMonth(${d})` };

function conditionSql(c) {
  return eventConditionSql(c.event === '$any' ? '$all' : c.event, c.filters || []);
}

// Returns [{breakdown_value (null when no breakdown or absent), cohort: 'YYYY-MM-DD', k, n}]
// with k = 0 the size.
export async function retentionClickHouse(ch, spec) {
  const period = spec.period || 'week';
  const periods = spec.periods ?? 8;
  const rel = REL[period];
  if (!rel) throw new Error(`period ${period} is not modelled`);
  if (!spec.range || !spec.range.from || !spec.range.to) throw new Error('the ClickHouse model needs range {from, to}');
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account != ''" : '1';
  const b = spec.breakdown ? propertyColumn(spec.breakdown) : "''";
  const from = `${rel}(toDate(${sqlString(spec.range.from)}))`;
  const cohorts = `(${rel}(toDate(${sqlString(spec.range.to)})) - ${from} + 1)`;
  const periodOf = (date) => `(${rel}(${date}) - ${from})`;
  const p = periodOf('day');
  const where = `${entOk} AND ${filtersSql(spec.filters)}`;
  const start = conditionSql(spec.start);
  const members = (spec.mode || 'first_time') === 'first_time'
    ? `SELECT ${ent} AS e, argMin(${b}, ts_ms) AS bval, ${periodOf("toDate(toDateTime(intDiv(min(ts_ms), 1000)), 'Asia/Shanghai')")} AS cohort
       FROM ev WHERE ${where} AND ${start} GROUP BY e HAVING cohort >= 0 AND cohort < ${cohorts}`
    : `SELECT ${ent} AS e, ${p} AS cohort, argMin(${b}, ts_ms) AS bval
       FROM ev WHERE ${where} AND ${start} AND cohort >= 0 AND cohort < ${cohorts} GROUP BY e, cohort`;
  const returns = `SELECT DISTINCT ${ent} AS e, ${p} AS period FROM ev
       WHERE ${where} AND ${conditionSql(spec.return)} AND period > 0 AND period < ${cohorts} + ${periods}`;
  const sizes = await ch.rows(`SELECT bval, cohort, 0 AS k, count() AS n FROM (${members}) GROUP BY bval, cohort`);
  const back = await ch.rows(`SELECT bval, cohort, period - cohort AS k, count() AS n
    FROM (${members}) ALL INNER JOIN (${returns}) USING e
    WHERE period > cohort AND period <= cohort + ${periods} GROUP BY bval, cohort, k`);
  // Cohort index → its first local day, computed here (calendar arithmetic on dates).
  const [{ first }] = await ch.rows(`SELECT toString(${FLOOR[period](`toDate(${sqlString(spec.range.from)})`)}) AS first`);
  const cohortDay = (i) => {
    const d = new Date(`${first}T00:00:00Z`);
    if (period === 'day') d.setUTCDate(d.getUTCDate() + i);
    else if (period === 'week') d.setUTCDate(d.getUTCDate() + 7 * i);
    else d.setUTCMonth(d.getUTCMonth() + i);
    return d.toISOString().slice(0, 10);
  };
  return [...sizes, ...back].map((r) => ({
    breakdown_value: spec.breakdown ? (r.bval !== '' ? r.bval : null) : undefined,
    cohort: cohortDay(Number(r.cohort)), k: Number(r.k), n: Number(r.n),
  }));
}

// ClickHouse rows → figures: per breakdown value (and "all" = every entity) and cohort,
// size and values[k]; plus the totals over the cohorts.
export function retentionFigures(rows) {
  const figures = new Map();
  const add = (key, n) => figures.set(key, (figures.get(key) || 0) + n);
  for (const r of rows) {
    for (const group of r.breakdown_value === undefined ? ['all'] : ['all', `value ${r.breakdown_value}`]) {
      add(`${group} · cohort ${r.cohort} · ${r.k === 0 ? 'size' : `v${r.k}`}`, r.n);
      add(`${group} · total · ${r.k === 0 ? 'size' : `v${r.k}`}`, r.n);
    }
  }
  return [...figures];
}

function matrixFigures(group, cohorts, total, out) {
  for (const c of cohorts) {
    out.push([`${group} · cohort ${c.start.slice(0, 10)} · size`, c.size]);
    for (let k = 1; k < c.values.length; ++k) out.push([`${group} · cohort ${c.start.slice(0, 10)} · v${k}`, c.values[k]]);
    if (c.values.length && c.values[0] !== c.size) throw new Error(`cohort ${c.start}: values[0] ${c.values[0]} is not the size ${c.size}`);
  }
  out.push([`${group} · total · size`, total.size]);
  for (let k = 1; k < total.values.length; ++k) out.push([`${group} · total · v${k}`, total.values[k]]);
}

// tobops' answer → the same figures.
export function tobopsRetentionFigures(answer) {
  const out = [];
  matrixFigures('all', answer.cohorts, answer.total, out);
  for (const b of answer.breakdown || []) matrixFigures(`value ${b.value}`, b.cohorts, b.total, out);
  return out;
}
