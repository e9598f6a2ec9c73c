// The funnel kind (docs/analytics/funnel.md), orders "ordered" and "strict", unique
// counting, in ClickHouse 18.16 SQL over `ev`, exact to the millisecond.
//
// Why not windowFunnel: in 18.16 it takes whole seconds (DateTime/UInt32) and has no
// 'strict' mode; tobops works in ms, so events of two steps within one second, or a step
// less than a second past the window, would count differently. Instead:
//
// 1. Each entity's rows (those meeting a step; in strict order every row) are put in
//    tobops' processing order: time, then at equal ms the lowest step a row meets, rows
//    meeting no step last (docs/analytics/funnel.md, ties), then arrival.
// 2. ordered: from each step-0 row, the attempt takes greedily the next step-1 row after
//    it, then the next step-2 row after that, …; a step counts while its time − the start
//    time ≤ window (inclusive). Taking the earliest next row is optimal for a given start,
//    so the entity's furthest step is the max over its starts — what windowFunnel's (and
//    tobops') one-chain-per-level walk computes. "The next step-j row after position p"
//    is a hash join on (entity, rank among step-j rows = step-j rows up to p + 1); the
//    running counts come from arrayCumSum — 18.16 has no window functions and no ASOF JOIN.
//    strict: step j must be the row right after step j − 1 (join on position + 1).
// 3. The entity's best attempt: the furthest step, then the earliest time of reaching
//    it, then the later start, then the earlier start row; with a breakdown the entity
//    counts under the value of that attempt's step-0 event ('' = null).
// 4. Step i counts the entities whose furthest step is ≥ i.
import { eventConditionSql, filtersSql, propertyColumn, localDayStartMs } from './ch_filters.mjs';

function stepFilters(step) {
  const filters = [...(step.filters || [])];
  if (step.role) filters.push({ source: 'person', property: 'role', op: 'eq', value: step.role });
  return filters;
}

export function durationMs(text) {
  const m = /^(\d+)(ms|s|min|h|d|w)$/.exec(text);
  if (!m) throw new Error(`duration ${text} is not modelled`);
  return Number(m[1]) * { ms: 1, s: 1000, min: 60000, h: 3600000, d: 86400000, w: 604800000 }[m[2]];
}

// Returns [{breakdown_value, counts: [n0, n1, …]}]; breakdown_value undefined without a
// breakdown.
export async function funnelClickHouse(ch, spec) {
  const order = spec.order || 'ordered';
  if (order !== 'ordered' && order !== 'strict') throw new Error(`order ${order} is not modelled`);
  for (const key of ['exclusions', 'hold_constant', 'over_time', 'entities']) {
    if (spec[key] !== undefined) throw new Error(`funnel ${key} is not modelled`);
  }
  if (spec.count && spec.count !== 'unique') throw new Error('only unique counting is modelled');
  const k = spec.steps.length;
  const W = durationMs(spec.window || '14d');
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account != ''" : '1';
  const b = spec.breakdown ? propertyColumn(spec.breakdown) : "''";
  if (!spec.range || !spec.range.from) throw new Error('the ClickHouse model needs range {from, to}');
  const fromMs = localDayStartMs(spec.range.from);
  const toMs = localDayStartMs(spec.range.to) + 86400000;
  for (const s of spec.steps) if (s.optional || s.within) throw new Error('optional / within steps are not modelled');

  const cond = spec.steps.map((s) => eventConditionSql(s.event === '$any' ? '$all' : s.event, stepFilters(s)));
  const mask = cond.map((c, i) => `if(${c}, ${2 ** i}, 0)`).join(' + ');
  const low = `multiIf(${spec.steps.map((_, i) => `bitAnd(mask, ${2 ** i}) != 0, ${i}`).join(', ')}, ${k + 1})`;
  const keep = order === 'strict' ? '1' : 'mask != 0';
  // 1. rows in processing order, with position and running count per step.
  const sortKey = 'groupArray((ts_ms, low, seq))';
  const counts = spec.steps.map((_, j) => `arrayCumSum(arrayMap(m -> toUInt32(bitAnd(m, ${2 ** j}) != 0), m_a)) AS c${j}`);
  const rows = `
    SELECT e, pos, ts, mask, bval, ${spec.steps.map((_, j) => `c${j}`).join(', ')}
    FROM (
      SELECT e,
        arraySort((x, key) -> key, groupArray(ts_ms), ${sortKey}) AS ts_a,
        arraySort((x, key) -> key, groupArray(mask), ${sortKey}) AS m_a,
        arraySort((x, key) -> key, groupArray(bval), ${sortKey}) AS b_a
      FROM (
        SELECT ${ent} AS e, ts_ms, seq, ${mask} AS mask, ${low} AS low, ${b} AS bval FROM ev
        WHERE ts_ms >= ${fromMs} AND ts_ms < ${toMs} AND ${entOk} AND ${filtersSql(spec.filters)} AND ${keep})
      GROUP BY e)
    ARRAY JOIN ts_a AS ts, m_a AS mask, b_a AS bval, arrayEnumerate(ts_a) AS pos, ${counts.join(', ')}`;
  await ch.exec('DROP TABLE IF EXISTS f_rows');
  await ch.exec(`CREATE TABLE f_rows ENGINE = Memory AS ${rows}`);

  // 2. chains from every step-0 row. Column r<j> is the join key of step j: the rank of
  //    the wanted row among step-j rows (ordered) or its position (strict); 0 = none.
  //    (Each level needs its own key name: 18.16 loses the right side's columns when a
  //    SELECT alias shadows a USING column.)
  let chain = `SELECT e, bval, ts AS t0, pos AS p0, toUInt64(${order === 'strict' ? 'pos + 1' : 'c1 + 1'}) AS r1
    FROM f_rows WHERE bitAnd(mask, 1) != 0`;
  const carried = ['e', 'bval', 't0', 'p0'];
  for (let j = 1; j < k; ++j) {
    const stepTable = order === 'strict'
      ? `SELECT e, toUInt64(pos) AS r${j}, ts AS t${j} FROM f_rows WHERE bitAnd(mask, ${2 ** j}) != 0`
      : `SELECT e, toUInt64(c${j}) AS r${j}, ts AS t${j}${j + 1 < k ? `, c${j + 1} AS n${j}` : ''} FROM f_rows WHERE bitAnd(mask, ${2 ** j}) != 0`;
    const found = `(t${j} != 0 AND t${j} - t0 <= ${W})`;
    const next = j + 1 < k
      ? `, toUInt64(if(${found}, ${order === 'strict' ? `p0 + ${j + 1}` : `n${j} + 1`}, 0)) AS r${j + 1}` : '';
    chain = `SELECT ${carried.join(', ')}, t${j}, ${found} AS ok${j}${next}
      FROM (${chain}) ANY LEFT JOIN (${stepTable}) USING (e, r${j})`;
    carried.push(`t${j}`, `ok${j}`);
  }
  const levelExpr = ['1', ...spec.steps.slice(1).map((_, i) => `ok${i + 1}`)].join(' + ');
  const reach = `multiIf(${spec.steps.slice(1).map((_, i) => `level = ${i + 2}, t${i + 1}`).reverse().join(', ')}${k > 1 ? ', ' : ''}t0)`;
  const perEntity = `
    SELECT e, max(level) AS furthest, argMax(bval, (level, -reach, t0, -p0)) AS bv
    FROM (SELECT e, bval, t0, p0, ${levelExpr} AS level, ${reach} AS reach FROM (${chain}))
    GROUP BY e`;
  const result = await ch.rows(`SELECT bv, furthest, count() AS n FROM (${perEntity}) GROUP BY bv, furthest`);
  await ch.exec('DROP TABLE IF EXISTS f_rows');

  const groups = new Map();
  for (const { bv, furthest, n } of result) {
    const key = spec.breakdown ? bv : '';
    if (!groups.has(key)) groups.set(key, new Array(k).fill(0));
    const c = groups.get(key);
    for (let i = 0; i < Number(furthest); ++i) c[i] += Number(n);
  }
  return [...groups].map(([v, c]) => ({
    breakdown_value: spec.breakdown ? (v === '' ? null : v) : undefined, counts: c,
  }));
}

// ClickHouse groups → figures: "all" (every entity) and each breakdown value.
export function funnelFigures(groups) {
  const figures = new Map();
  const add = (key, n) => figures.set(key, (figures.get(key) || 0) + n);
  for (const g of groups) {
    g.counts.forEach((n, i) => {
      add(`all · step ${i}`, n);
      if (g.breakdown_value !== undefined) add(`value ${g.breakdown_value} · step ${i}`, n);
    });
  }
  return [...figures];
}

// tobops' answer → the same figures; checks the step list against the spec.
export function tobopsFunnelFigures(spec, answer) {
  const out = [];
  if (!Array.isArray(answer.steps) || answer.steps.length !== spec.steps.length) {
    throw new Error(`tobops answered ${answer.steps && answer.steps.length} steps for ${spec.steps.length}`);
  }
  answer.steps.forEach((s, i) => out.push([`all · step ${i}`, s.count]));
  for (const g of answer.breakdown || []) {
    g.steps.forEach((s, i) => out.push([`value ${g.value} · step ${i}`, s.count]));
  }
  return out;
}
