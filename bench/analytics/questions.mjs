// The six benchmark questions: the tobops spec, and how ClickHouse and DuckDB answer the
// same question, each side's answer reduced to comparable figures ("path → number",
// tests/differential/lib/compare.mjs). `range` is the data's whole span in local days.
import { normalizeTobopsTrend, trendClickHouse, trendFigures } from '../../tests/differential/lib/ch_trend.mjs';
import { durationMs, funnelClickHouse, funnelFigures, tobopsFunnelFigures } from '../../tests/differential/lib/ch_funnel.mjs';
import { localDayStartMs, sqlString } from '../../tests/differential/lib/ch_filters.mjs';
import { retentionClickHouse, retentionFigures, tobopsRetentionFigures } from '../../tests/differential/lib/ch_retention.mjs';
import { pathsClickHouse, pathsDuckDB, pathsFigures, tobopsPathsFigures } from './paths_peers.mjs';
import { healthClickHouse, healthDuckDB, healthFigures, tobopsHealthFigures } from './health_peers.mjs';
import { funnelDuckDB, retentionDuckDB, trendDuckDB } from './duckdb_questions.mjs';

const INDUSTRY = { source: 'account', property: 'industry' };
const SALES = ['$pageview', 'signup', 'trial_started', 'quote_requested', 'purchase'];

// ClickHouse's own funnel function, for reference: whole seconds, no breakdown (it cannot
// tell which step-0 event an entity's level came from). Figures: the overall step counts.
async function windowFunnelClickHouse(ch, spec) {
  const ent = spec.aggregate_by === 'account' ? 'account' : 'person';
  const fromMs = localDayStartMs(spec.range.from);
  const toMs = localDayStartMs(spec.range.to) + 86400000;
  const conds = spec.steps.map((s) => `event = ${sqlString(s.event)}`).join(', ');
  const rows = await ch.rows(`SELECT level, count() AS n FROM (
      SELECT ${ent}, windowFunnel(${durationMs(spec.window) / 1000})(toUInt32(intDiv(ts_ms, 1000)), ${conds}) AS level
      FROM ev WHERE ts_ms >= ${fromMs} AND ts_ms < ${toMs} AND ${ent} != '' GROUP BY ${ent})
    GROUP BY level`);
  const counts = new Array(spec.steps.length).fill(0);
  for (const { level, n } of rows) for (let i = 0; i < Number(level); ++i) counts[i] += Number(n);
  return counts.map((n, i) => [`all · step ${i}`, n]);
}

function funnelQuestion(id, aggregate_by) {
  return {
    id,
    title: `5-step ${aggregate_by} funnel, 30d window, by industry`,
    spec: (range) => ({ kind: 'funnel', steps: SALES.map((event) => ({ event })), window: '30d',
      order: 'ordered', aggregate_by, breakdown: INDUSTRY, limit: 100, range }),
    tobops: (spec, answer) => tobopsFunnelFigures(spec, answer),
    clickhouse: async (ch, spec) => funnelFigures(await funnelClickHouse(ch, spec)),
    duckdb: async (db, spec) => funnelFigures(await funnelDuckDB(db, spec)),
    clickhouse_native: windowFunnelClickHouse,
  };
}

export const QUESTIONS = [
  {
    id: 1,
    title: 'daily unique persons by account industry',
    spec: (range) => ({ kind: 'trend', series: [{ label: 'persons', event: '$all', measure: 'persons' }],
      interval: 'day', breakdown: INDUSTRY, limit: 100, range }),
    tobops: (spec, answer) => trendFigures(normalizeTobopsTrend(spec, answer)),
    clickhouse: async (ch, spec) => trendFigures(await trendClickHouse(ch, spec)),
    duckdb: async (db, spec) => trendFigures(await trendDuckDB(db, spec)),
  },
  funnelQuestion(2, 'person'),
  funnelQuestion(3, 'account'),
  {
    id: 4,
    title: 'weekly retention, login → any event, 8 weeks',
    spec: (range) => ({ kind: 'retention', start: { event: 'login' }, return: { event: '$any' },
      mode: 'first_time', period: 'week', periods: 8, aggregate_by: 'person', range }),
    tobops: (spec, answer) => tobopsRetentionFigures(answer),
    clickhouse: async (ch, spec) => retentionFigures(await retentionClickHouse(ch, spec)),
    duckdb: async (db, spec) => retentionFigures(await retentionDuckDB(db, spec)),
  },
  {
    id: 5,
    title: 'top 3-step paths after trial_started',
    spec: (range) => ({ kind: 'paths', direction: 'forward', event: 'trial_started', depth: 3,
      group_by: 'event', collapse_repeats: true, top: 20, range }),
    tobops: (spec, answer) => tobopsPathsFigures(spec, answer),
    clickhouse: async (ch, spec) => pathsFigures(await pathsClickHouse(ch, spec)),
    duckdb: async (db, spec) => pathsFigures(await pathsDuckDB(db, spec)),
  },
  {
    id: 6,
    title: 'account health, all accounts (activity parts)',
    // Every account (limit at its maximum), so that all of them can be compared.
    spec: () => ({ kind: 'health', days: 30, limit: 100000 }),
    tobops: (spec, answer) => tobopsHealthFigures(spec, answer),
    clickhouse: async (ch, spec) => healthFigures(await healthClickHouse(ch, spec)),
    duckdb: async (db, spec) => healthFigures(await healthDuckDB(db, spec)),
  },
];
