// Question 5 (paths) for the peers: ClickHouse through the differential test's model
// (tests/differential/lib/ch_paths.mjs, which states the semantics), DuckDB with window
// functions: each entity's rows numbered in time order (ties by event name), the first
// anchor row, the rows from it on with consecutive repeats dropped (lag), the first
// `depth` of them as a list.
import { checkPathsSpec, pathsClickHouse as pathsCh, pathsFigures as figures, tobopsPathsFigures as tobopsFigures }
  from '../../tests/differential/lib/ch_paths.mjs';
import { eventConditionSql, localDayStartMs } from '../../tests/differential/lib/ch_filters.mjs';

export async function pathsClickHouse(ch, spec) {
  return { spec, paths: await pathsCh(ch, spec) };
}

export async function pathsDuckDB(db, spec) {
  checkPathsSpec(spec);
  if ((spec.direction || 'forward') !== 'forward') throw new Error('the DuckDB model does forward paths only');
  const depth = spec.depth ?? 4;
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account <> ''" : 'true';
  const anchor = eventConditionSql(!spec.event || spec.event === '$any' ? '$all' : spec.event, spec.filters || [])
    .replace(/\\'/g, "''");
  const collapse = spec.collapse_repeats ?? true;
  const rows = await db.rows(`
    WITH r AS (
      SELECT ${ent} AS e, event, ${anchor} AS is_anchor,
             row_number() OVER (PARTITION BY ${ent} ORDER BY ts_ms, event) AS pos
      FROM ev WHERE ts_ms >= ${localDayStartMs(spec.range.from)} AND ts_ms < ${localDayStartMs(spec.range.to) + 86400000} AND ${entOk}),
    a AS (SELECT e, min(pos) AS apos FROM r WHERE is_anchor GROUP BY e),
    t AS (SELECT r.e, r.pos, r.event, lag(r.event) OVER (PARTITION BY r.e ORDER BY r.pos) AS prev
          FROM r JOIN a ON r.e = a.e AND r.pos >= a.apos),
    k AS (SELECT e, event, row_number() OVER (PARTITION BY e ORDER BY pos) AS n FROM t
          ${collapse ? 'WHERE prev IS NULL OR event <> prev' : ''})
    SELECT path, count(*) AS n FROM (SELECT e, list(event ORDER BY n) AS path FROM k WHERE n <= ${depth} GROUP BY e)
    GROUP BY path`);
  return { spec, paths: rows.map((r) => ({ path: r.path, n: Number(r.n) })) };
}

export function pathsFigures({ spec, paths }) {
  return figures(spec, paths);
}

export function tobopsPathsFigures(spec, answer) {
  return tobopsFigures(spec, answer);
}
