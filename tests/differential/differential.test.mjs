// Differential test: the demo data set loaded into tobops and into a private ClickHouse
// 18.16; every trend, funnel, retention and paths question below (and the activity
// figures of account health) is asked of both, and each figure must be equal.
// ClickHouse resolves identities itself from the raw messages (lib/identity_clickhouse.mjs),
// so the test checks tobops' identity stitching and account attribution as well as its
// kernels. See README.md.
//
// Env: TOBOPS_BIN (default build/tobops), TOBOPS_DIFF_EVENTS (default 250000),
// TOBOPS_DIFF_KEEP=1 keeps the work directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { requireClickHouse, startClickHouse } from './lib/clickhouse.mjs';
import { loadClickHouse } from './lib/identity_clickhouse.mjs';
import { queryTobops, runTobops, tobopsBin } from './lib/tobops.mjs';
import { compareFigures, flatten } from './lib/compare.mjs';
import { normalizeTobopsTrend, trendClickHouse, trendFigures } from './lib/ch_trend.mjs';
import { funnelClickHouse, funnelFigures, tobopsFunnelFigures } from './lib/ch_funnel.mjs';
import { retentionClickHouse, retentionFigures, tobopsRetentionFigures } from './lib/ch_retention.mjs';
import { pathsClickHouse, pathsFigures, tobopsPathsFigures } from './lib/ch_paths.mjs';
import { healthClickHouse, healthFigures, tobopsHealthFigures } from './lib/ch_health.mjs';

const EVENTS = Number(process.env.TOBOPS_DIFF_EVENTS || 250000);
const log = (s) => process.stderr.write(`[differential] ${s}\n`);

let work;
let ch;
let dataDir;
let range;  // the data's whole span, local days

before(async () => {
  requireClickHouse();
  if (!fs.existsSync(tobopsBin)) throw new Error(`tobops binary not found: ${tobopsBin} (build it first)`);
  work = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'tobops-diff-'));
  dataDir = path.join(work, 'tobops');
  const ndjson = path.join(work, 'events.ndjson');
  let t = Date.now();
  // The same messages for both: `tobops demo --data` would draw a new story ending at a
  // later "now", so tobops imports the very NDJSON file that ClickHouse loads.
  await runTobops(['demo', '--events', String(EVENTS), '--out', ndjson]);
  log(`demo: ${EVENTS} messages in ${(Date.now() - t) / 1000} s`);
  t = Date.now();
  const tobopsSide = runTobops(['import', '--data', dataDir, ndjson]).then(({ stdout, stderr }) => {
    const summary = (stdout + stderr).match(/imported \d+ messages.*: (\d+) stored, (\d+) duplicates, (\d+) rejected/);
    log(`tobops import: ${summary ? summary[0] : '?'} (${(Date.now() - t) / 1000} s)`);
    if (!summary || summary[2] !== '0' || summary[3] !== '0') {
      throw new Error(`tobops import did not store every message: ${stdout}${stderr}`);
    }
    return Number(summary[1]);
  });
  const peerSide = (async () => {
    ch = await startClickHouse(path.join(work, 'clickhouse'));
    log(`clickhouse ${await ch.version()} on 127.0.0.1:${ch.httpPort} (${(Date.now() - t) / 1000} s)`);
    const loaded = await loadClickHouse(ch, ndjson, path.join(work, 'events.csv'));
    log(`clickhouse: ${JSON.stringify(loaded)}`);
    return loaded.rows;
  })();
  const [stored, rows] = await Promise.all([tobopsSide, peerSide]);
  if (stored !== rows) throw new Error(`tobops stored ${stored} messages, ClickHouse loaded ${rows}`);
  const [span] = await ch.rows('SELECT toString(min(day)) AS from, toString(max(day)) AS to FROM ev');
  range = span;
  log(`data span ${range.from} … ${range.to}; setup ${(Date.now() - t) / 1000} s`);
});

const keep = process.env.TOBOPS_DIFF_KEEP === '1';
after(async () => {
  if (ch) await ch.stop();
  if (work && keep) log(`kept ${work}`);
});
// Also when a failed `before` keeps `after` from running (the ClickHouse child is killed
// by lib/clickhouse.mjs's own exit handler, registered first).
process.on('exit', () => {
  if (work && !keep) fs.rmSync(work, { recursive: true, force: true });
});

function check(label, tobopsFigures, peerFigures) {
  const peer = flatten(peerFigures);
  assert.ok(peer.size > 0, `${label}: ClickHouse answered only zeros — a vacuous comparison`);
  const report = compareFigures(label, flatten(tobopsFigures), peer);
  if (report) assert.fail(report);
}

async function compareTrend(spec) {
  const full = { kind: 'trend', range, limit: 100, ...spec };
  const answer = await queryTobops(dataDir, full);
  assert.equal(answer.timezone, 'Asia/Shanghai');
  check(JSON.stringify(full), trendFigures(normalizeTobopsTrend(full, answer)),
    trendFigures(await trendClickHouse(ch, full)));
}

describe('trend', () => {
  test('events, persons and accounts of every event over the whole span (identity check)', () =>
    compareTrend({ interval: 'month', series: [
      { label: 'e', event: '$all', measure: 'events' },
      { label: 'p', event: '$all', measure: 'persons' },
      { label: 'a', event: '$all', measure: 'accounts' }] }));

  test('daily page views from sem or website', () =>
    compareTrend({ interval: 'day', series: [{ label: 'pv', event: '$pageview', measure: 'events',
      filters: [{ source: 'event', property: 'channel', op: 'in', value: ['sem', 'website'] }] }] }));

  test('daily unique persons by account industry', () =>
    compareTrend({ interval: 'day', breakdown: { source: 'account', property: 'industry' },
      series: [{ label: 'p', event: '$all', measure: 'persons' }] }));

  test('daily accounts and persons by account industry, with a filter', () =>
    compareTrend({ interval: 'day', breakdown: { source: 'account', property: 'industry' },
      filters: [{ source: 'event', property: 'channel', op: 'neq', value: 'website' }],
      series: [{ label: 'a', event: '$all', measure: 'accounts' },
        { label: 'p', event: '$pageview', measure: 'persons' }] }));

  test('daily sign-ups by channel (event property breakdown)', () =>
    compareTrend({ interval: 'day', breakdown: 'channel',
      series: [{ label: 's', event: 'signup', measure: 'events' }] }));

  test('daily feature users by feature, not 金融, weekly accounts', () =>
    compareTrend({ interval: 'week', breakdown: { source: 'event', property: 'feature' },
      filters: [{ source: 'account', property: 'industry', op: 'neq', value: '金融' }],
      series: [{ label: 'fa', event: 'feature_used', measure: 'accounts' },
        { label: 'fp', event: 'feature_used', measure: 'persons' }] }));

  test('daily logins of users (person filter) by industry', () =>
    compareTrend({ interval: 'day', breakdown: { source: 'account', property: 'industry' },
      series: [{ label: 'l', event: 'login', measure: 'persons',
        filters: [{ source: 'person', property: 'role', op: 'eq', value: 'user' }] }] }));

  test('weekly persons by role (person breakdown), purchases with an amount filter', () =>
    compareTrend({ interval: 'week', breakdown: { source: 'person', property: 'role' },
      series: [{ label: 'p', event: '$all', measure: 'persons' },
        { label: 'big', event: 'purchase', measure: 'events',
          filters: [{ source: 'event', property: 'amount', op: 'gte', value: 50000 }] }] }));

  test('daily anonymous page views (no account: accounts measure and null industry)', () =>
    compareTrend({ interval: 'day', breakdown: { source: 'account', property: 'industry' },
      series: [{ label: 'pv', event: '$pageview', measure: 'persons',
        filters: [{ source: 'account', property: 'industry', op: 'is_not_set' }] }] }));
});

async function compareFunnel(spec) {
  const full = { kind: 'funnel', range, ...spec };
  const answer = await queryTobops(dataDir, full);
  check(JSON.stringify(full), tobopsFunnelFigures(full, answer), funnelFigures(await funnelClickHouse(ch, full)));
}

const SALES = ['$pageview', 'signup', 'trial_started', 'quote_requested', 'purchase'];
const steps = (names) => names.map((event) => ({ event }));
const INDUSTRY = { source: 'account', property: 'industry' };

describe('funnel', () => {
  for (const aggregate_by of ['person', 'account']) {
    for (const window of ['1d', '7d', '30d', '90d']) {
      test(`5 steps by ${aggregate_by}, window ${window}, by industry`, () =>
        compareFunnel({ steps: steps(SALES), window, aggregate_by, order: 'ordered', breakdown: INDUSTRY, limit: 100 }));
    }
    test(`3 steps by ${aggregate_by}, 14d, demo path, step filter`, () =>
      compareFunnel({ steps: [{ event: 'signup' }, { event: 'trial_started' },
        { event: 'demo_requested', filters: [{ source: 'event', property: 'channel', op: 'is_set' }] }],
      window: '14d', aggregate_by, order: 'ordered' }));
    test(`4 steps by ${aggregate_by} with a role, 60d, by channel of the first step`, () =>
      compareFunnel({ steps: [{ event: '$pageview' }, { event: 'signup' }, { event: 'trial_started' },
        { event: 'demo_requested', role: 'decision_maker' }],
      window: '60d', aggregate_by, order: 'ordered', breakdown: 'channel', limit: 100 }));
    test(`strict order by ${aggregate_by}: login → $pageview → feature_used, 1h`, () =>
      compareFunnel({ steps: steps(['login', '$pageview', 'feature_used']), window: '1h', aggregate_by, order: 'strict' }));
  }
});

async function compareRetention(spec) {
  const full = { kind: 'retention', range, ...spec };
  const answer = await queryTobops(dataDir, full);
  check(JSON.stringify(full), tobopsRetentionFigures(answer), retentionFigures(await retentionClickHouse(ch, full)));
}

describe('retention', () => {
  for (const aggregate_by of ['person', 'account']) {
    for (const mode of ['first_time', 'recurring']) {
      test(`weekly ${mode} by ${aggregate_by}: signup → $any, 8 weeks`, () =>
        compareRetention({ start: { event: 'signup' }, return: { event: '$any' }, mode, period: 'week', periods: 8, aggregate_by }));
      test(`weekly ${mode} by ${aggregate_by}: login → feature_used, 12 weeks, by industry`, () =>
        compareRetention({ start: { event: 'login' }, return: { event: 'feature_used' }, mode, period: 'week',
          periods: 12, aggregate_by, breakdown: INDUSTRY, limit: 100 }));
    }
  }
  test('daily first_time by person: $pageview → signup, 14 days', () =>
    compareRetention({ start: { event: '$pageview' }, return: { event: 'signup' }, mode: 'first_time', period: 'day',
      periods: 14, aggregate_by: 'person', range: { from: range.to.slice(0, 8) + '01', to: range.to } }));
});

async function comparePaths(spec) {
  const full = { kind: 'paths', range, ...spec };
  const answer = await queryTobops(dataDir, full);
  check(JSON.stringify(full), tobopsPathsFigures(full, answer), pathsFigures(full, await pathsClickHouse(ch, full)));
}

describe('paths', () => {
  test('forward from trial_started, 3 steps, repeats collapsed, by person', () =>
    comparePaths({ direction: 'forward', event: 'trial_started', depth: 3, group_by: 'event', collapse_repeats: true, top: 20 }));
  test('forward from signup, 5 steps, repeats kept, top 3 nodes per step ($other), by account', () =>
    comparePaths({ direction: 'forward', event: 'signup', depth: 5, collapse_repeats: false, top: 3, aggregate_by: 'account' }));
  test('backward to purchase, 4 steps, by person', () =>
    comparePaths({ direction: 'backward', event: 'purchase', depth: 4, collapse_repeats: true, top: 10 }));
  test('forward from a filtered anchor: page views from sem, 4 steps', () =>
    comparePaths({ direction: 'forward', event: '$pageview', depth: 4, collapse_repeats: true, top: 20,
      filters: [{ source: 'event', property: 'channel', op: 'eq', value: 'sem' }] }));
});

describe('health', () => {
  for (const days of [7, 30, 90]) {
    test(`activity of every account over the last ${days} days`, async () => {
      const spec = { kind: 'health', days, limit: 10000 };
      const answer = await queryTobops(dataDir, spec);
      check(JSON.stringify(spec), tobopsHealthFigures(spec, answer), healthFigures(await healthClickHouse(ch, spec)));
    });
  }
});
