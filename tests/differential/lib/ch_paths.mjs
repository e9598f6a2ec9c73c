// The paths kind (docs/analytics/paths.md, query/paths_query.cc) in ClickHouse SQL over
// `ev`; group_by event names only. Semantics restated:
// - each entity (person, or account: events without one belong to none) yields one path:
//   from its first (forward) or last (backward) anchor event in the range, the next
//   (previous) events of any kind in time order — at equal ms by event name, byte order
//   (EntityTimelines' row order) — with consecutive repeats collapsed when asked, until
//   the path has `depth` steps, the anchor included;
// - paths are counted by entity; `nodes` count the paths that reach a step (distance from
//   the anchor) by label, the `top` labels of each step kept and the rest merged into
//   "$other"; `paths` lists the most frequent sequences (count descending, then names,
//   a prefix first).
// ClickHouse computes every entity's path; the node table and the top-path order are
// derived in JS (pathsFigures), identically for every engine.
import { eventConditionSql, localDayStartMs } from './ch_filters.mjs';

export function checkPathsSpec(spec) {
  if (spec.group_by !== undefined && spec.group_by !== 'event') throw new Error('paths group_by other than event is not modelled');
  if (spec.exclude_events && spec.exclude_events.length) throw new Error('paths exclude_events is not modelled');
  if (!spec.range || !spec.range.from) throw new Error('the ClickHouse model needs range {from, to}');
}

// Returns [{path: [names], n}] over every entity with an anchor.
export async function pathsClickHouse(ch, spec) {
  checkPathsSpec(spec);
  const depth = spec.depth ?? 4;
  const forward = (spec.direction || 'forward') === 'forward';
  const ent = (spec.aggregate_by || 'person') === 'account' ? 'account' : 'person';
  const entOk = ent === 'account' ? "account != ''" : '1';
  const fromMs = localDayStartMs(spec.range.from);
  const toMs = localDayStartMs(spec.range.to) + 86400000;
  const anchor = eventConditionSql(!spec.event || spec.event === '$any' ? '$all' : spec.event, spec.filters || []);
  const collapse = spec.collapse_repeats ?? true;
  // evs: the entity's events in time order (backward: reversed, so that the walk from the
  // anchor is always "first match, then onwards").
  const order = forward ? '' : 'arrayReverse';
  const sql = `
    SELECT path, count() AS n FROM (
      SELECT ${order}(arraySort((x, k) -> k, groupArray(event), groupArray((ts_ms, event)))) AS evs,
             ${order}(arraySort((x, k) -> k, groupArray(is_anchor), groupArray((ts_ms, event)))) AS anchors,
             arrayFirstIndex(x -> x = 1, anchors) AS a,
             arraySlice(evs, a) AS tail,
             ${collapse ? "arrayFilter((x, prev, i) -> i = 1 OR x != prev, tail, arrayPushFront(arrayPopBack(tail), ''), arrayEnumerate(tail))" : 'tail'} AS kept,
             ${order}(arraySlice(kept, 1, ${depth})) AS path
      FROM (SELECT ${ent} AS e, ts_ms, event, toUInt8(${anchor}) AS is_anchor FROM ev
            WHERE ts_ms >= ${fromMs} AND ts_ms < ${toMs} AND ${entOk})
      GROUP BY e HAVING a > 0)
    GROUP BY path`;
  return (await ch.rows(sql)).map((r) => ({ path: r.path, n: Number(r.n) }));
}

const byteLess = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;

// tobops' order of full sequences: count descending, then names step by step, a prefix first.
function pathLess(a, b) {
  if (a.n !== b.n) return a.n > b.n;
  for (let i = 0; ; ++i) {
    if (i >= a.path.length || i >= b.path.length) return a.path.length < b.path.length;
    if (a.path[i] !== b.path[i]) return byteLess(a.path[i], b.path[i]);
  }
}

// Every entity's path → the figures of tobops' answer: entities, distinct paths, node
// counts per step (top labels, the rest as "$other"), the top `paths_limit` sequences.
export function pathsFigures(spec, paths) {
  const depth = spec.depth ?? 4;
  const forward = (spec.direction || 'forward') === 'forward';
  const top = spec.top ?? 20;
  const limit = spec.paths_limit ?? 20;
  const out = [];
  let entities = 0;
  const nodes = Array.from({ length: depth }, () => new Map());
  for (const { path, n } of paths) {
    entities += n;
    path.forEach((name, p) => {
      const d = forward ? p : path.length - 1 - p;
      nodes[d].set(name, (nodes[d].get(name) || 0) + n);
    });
  }
  out.push(['entities', entities], ['distinct paths', paths.length]);
  nodes.forEach((m, d) => {
    const all = [...m].sort((a, b) => (a[1] !== b[1] ? b[1] - a[1] : byteLess(a[0], b[0]) ? -1 : 1));
    let other = 0;
    all.forEach(([name, n], i) => {
      if (i < top) out.push([`node ${forward ? d : -d}:${name}`, n]);
      else other += n;
    });
    if (other) out.push([`node ${forward ? d : -d}:$other`, other]);
  });
  const ranked = [...paths].sort((a, b) => (pathLess(a, b) ? -1 : pathLess(b, a) ? 1 : 0)).slice(0, limit);
  ranked.forEach((p, i) => out.push([`path #${i + 1} ${p.path.join(' › ')}`, p.n]));
  return out;
}

export function tobopsPathsFigures(spec, answer) {
  const out = [['entities', answer.entities], ['distinct paths', answer.distinct_paths]];
  for (const node of answer.nodes) out.push([`node ${node.step}:${node.name}`, node.count]);
  answer.paths.forEach((p, i) => out.push([`path #${i + 1} ${p.steps.join(' › ')}`, p.count]));
  return out;
}
