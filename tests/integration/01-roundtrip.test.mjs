// 1. ingest → query round trip: per-day counts, unique persons / accounts, event-property
// breakdown, filters, account and person trait breakdowns, Chinese names and values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, pointsByDay, totalsByValue, apiGet, uid } from './harness.mjs';

const FROM = '2026-03-01';
const TO = '2026-03-05';
let srv;
const ids = {};

// Identity and account calls (before the range, so they do not fall into the trend days).
const setup = () => [
  { type: 'group', userId: 'u1', groupId: 'acme', traits: { industry: '制造业', name: '艾克米' }, timestamp: '2026-02-20T10:00:00+08:00', messageId: uid('g') },
  { type: 'group', userId: 'u3', groupId: 'beta', traits: { industry: 'finance' }, timestamp: '2026-02-20T10:01:00+08:00', messageId: uid('g') },
  { type: 'identify', userId: 'u1', traits: { role: 'decision_maker' }, timestamp: '2026-02-20T10:02:00+08:00', messageId: uid('i') },
  { type: 'identify', userId: 'u2', traits: { role: 'evaluator' }, timestamp: '2026-02-20T10:03:00+08:00', messageId: uid('i') },
  { type: 'identify', userId: 'u3', traits: { role: 'user' }, timestamp: '2026-02-20T10:04:00+08:00', messageId: uid('i') },
];

// Track events of `注册`. UTC day of each written by hand next to it.
function tracks() {
  const ev = (name, key, userId, account, channel, plan, timestamp) => {
    ids[key] = uid(key);
    const m = { type: 'track', event: name, userId, timestamp, messageId: ids[key], properties: { channel, plan } };
    if (account) m.context = { groupId: account };
    return m;
  };
  return [
    ev('注册', 'e1', 'u1', 'acme', 'sem', 'pro', '2026-03-01T09:00:00+08:00'),         // 03-01 01:00Z
    ev('注册', 'e2', 'u2', 'acme', '官网', 'free', Date.UTC(2026, 2, 1, 15, 30)),       // 03-01 15:30Z (epoch ms)
    ev('注册', 'e3', 'u1', 'acme', 'sem', 'pro', '2026-03-02T07:30:00+08:00'),         // 03-01 23:30Z
    ev('注册', 'e4', 'u3', 'beta', 'video', 'pro', '2026-03-02T20:00:00+08:00'),       // 03-02 12:00Z
    ev('注册', 'e5', 'u4', 'beta', 'sem', 'free', Date.UTC(2026, 2, 2, 23, 59, 59)),    // 03-02 23:59:59Z
    ev('注册', 'e6', 'u5', null, '官网', 'pro', '2026-03-05T01:00:00+08:00'),           // 03-04 17:00Z
    ev('login', 'l1', 'u1', 'acme', 'sem', 'pro', '2026-03-03T12:00:00+08:00'),        // 03-03 04:00Z, other event
  ];
}

before(async () => {
  srv = await startServer();
  const r1 = await postBatch(srv, setup());
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.json.accepted, 5, r1.text);
  const r2 = await postBatch(srv, tracks());
  assert.equal(r2.status, 200, r2.text);
  assert.deepEqual([r2.json.accepted, r2.json.duplicates, r2.json.rejected], [7, 0, 0], r2.text);
});

after(async () => { if (srv) await srv.cleanup(); });

test('trend per day returns exactly the per-day counts sent (ISO +08:00 and epoch ms)', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO));
  assert.equal(a.series.length, 1);
  assert.equal(a.series[0].total, 6);
  assert.deepEqual(pointsByDay(a.series[0]),
    { '2026-03-01': 3, '2026-03-02': 2, '2026-03-03': 0, '2026-03-04': 1, '2026-03-05': 0 });
  assert.equal(a.series[0].event, '注册');
});

test('Shanghai time zone buckets differ from UTC ones as expected', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO, { timezone: 'Asia/Shanghai' }));
  // Local days: e1 03-01, e2 03-01 23:30, e3 03-02, e4 03-02, e5 03-03 07:59, e6 03-05.
  assert.deepEqual(pointsByDay(a.series[0]),
    { '2026-03-01': 2, '2026-03-02': 2, '2026-03-03': 1, '2026-03-04': 0, '2026-03-05': 1 });
});

test('unique persons and unique accounts', async () => {
  const a = await query(srv, trend([
    { event: '注册', measure: 'persons' },
    { event: '注册', measure: 'accounts' },
  ], FROM, TO));
  assert.equal(a.series[0].total, 5, 'u1..u5');
  assert.deepEqual(pointsByDay(a.series[0]),
    { '2026-03-01': 2, '2026-03-02': 2, '2026-03-03': 0, '2026-03-04': 1, '2026-03-05': 0 });
  assert.equal(a.series[1].total, 2, 'acme and beta (e6 has no account)');
  assert.deepEqual(pointsByDay(a.series[1]),
    { '2026-03-01': 1, '2026-03-02': 1, '2026-03-03': 0, '2026-03-04': 0, '2026-03-05': 0 });
});

test('breakdown by event property channel', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO,
    { breakdown: { source: 'event', property: 'channel' } }));
  assert.deepEqual(totalsByValue(a), { sem: 3, '官网': 2, video: 1 });
  assert.equal(a.series[0].breakdown_value, 'sem', 'breakdown values by descending total');
  const web = a.series.find((s) => s.breakdown_value === '官网');
  assert.deepEqual(pointsByDay(web),
    { '2026-03-01': 1, '2026-03-02': 0, '2026-03-03': 0, '2026-03-04': 1, '2026-03-05': 0 });
});

test('filters: plan eq pro, Chinese value eq, series filter', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO,
    { filters: [{ source: 'event', property: 'plan', op: 'eq', value: 'pro' }] }));
  assert.equal(a.series[0].total, 4);
  assert.deepEqual(pointsByDay(a.series[0]),
    { '2026-03-01': 2, '2026-03-02': 1, '2026-03-03': 0, '2026-03-04': 1, '2026-03-05': 0 });
  const b = await query(srv, trend([{ event: '注册', measure: 'events',
    filters: [{ source: 'event', property: 'channel', op: 'eq', value: '官网' }] }], FROM, TO));
  assert.equal(b.series[0].total, 2);
  const c = await query(srv, trend([{ event: '注册', measure: 'persons' }], FROM, TO,
    { filters: [{ source: 'event', property: 'plan', op: 'neq', value: 'pro' }] }));
  assert.equal(c.series[0].total, 2, 'u2 and u4 sent plan free');
});

test('account trait breakdown by industry after group calls', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO,
    { breakdown: { source: 'account', property: 'industry' } }));
  assert.deepEqual(totalsByValue(a), { '制造业': 3, finance: 2, null: 1 });
  const b = await query(srv, trend([{ event: '注册', measure: 'accounts' }], FROM, TO,
    { filters: [{ source: 'account', property: 'industry', op: 'eq', value: '制造业' }] }));
  assert.equal(b.series[0].total, 1);
});

test('person trait breakdown by role after identify', async () => {
  const a = await query(srv, trend([{ event: '注册', measure: 'events' }], FROM, TO,
    { breakdown: { source: 'person', property: 'role' } }));
  assert.deepEqual(totalsByValue(a), { decision_maker: 2, evaluator: 1, user: 1, null: 2 });
  const b = await query(srv, trend([{ event: '注册', measure: 'persons' }], FROM, TO,
    { breakdown: { source: 'person', property: 'role' } }));
  assert.deepEqual(totalsByValue(b), { decision_maker: 1, evaluator: 1, user: 1, null: 2 });
});

test('identify and group calls become $identify / $group events', async () => {
  const a = await query(srv, trend([
    { event: '$identify', measure: 'events' },
    { event: '$group', measure: 'events' },
  ], '2026-02-20', '2026-02-20'));
  assert.equal(a.series[0].total, 3);
  assert.equal(a.series[1].total, 2);
});

test('/api/events returns the stored event with Chinese name and property values', async () => {
  const res = await apiGet(srv, `/api/events?limit=10&q=${encodeURIComponent(ids.e2)}`);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.events.length, 1, res.text);
  const e = res.json.events[0];
  assert.equal(e.message_id, ids.e2);
  assert.equal(e.event, '注册');
  assert.equal(e.type, 'track');
  assert.equal(e.user_id, 'u2');
  assert.equal(e.person, 'u2');
  assert.equal(e.account, 'acme');
  assert.equal(Date.parse(e.timestamp), Date.UTC(2026, 2, 1, 15, 30));
  assert.deepEqual(e.properties, { channel: '官网', plan: 'free' });
  const byValue = await apiGet(srv, `/api/events?limit=50&q=${encodeURIComponent('官网')}`);
  assert.equal(byValue.status, 200);
  assert.deepEqual(byValue.json.events.map((x) => x.message_id).sort(), [ids.e2, ids.e6].sort());
});
