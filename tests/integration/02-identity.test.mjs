// 2. Identity stitching: anonymous page views, then identify(anonymousId + userId), then a
// track by userId are one person, not two. A control pair without identify stays two.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, uid, apiGet } from './harness.mjs';

test('anonymous page views + identify + track by userId count as one person', async (t) => {
  const srv = await startServer(t);
  // Stitched visitor on 2026-04-01 (UTC).
  const stitched = [
    { type: 'page', anonymousId: 'anon-1', name: 'Home', properties: { path: '/' }, timestamp: '2026-04-01T08:00:00Z', messageId: uid() },
    { type: 'page', anonymousId: 'anon-1', name: 'Pricing', properties: { path: '/pricing' }, timestamp: '2026-04-01T08:01:00Z', messageId: uid() },
    { type: 'identify', anonymousId: 'anon-1', userId: 'alice', traits: { role: 'evaluator' }, timestamp: '2026-04-01T08:02:00Z', messageId: uid() },
    { type: 'track', userId: 'alice', event: 'signup', timestamp: '2026-04-01T08:03:00Z', messageId: uid() },
  ];
  // Control visitor on 2026-04-03: same shape, but never identified.
  const control = [
    { type: 'page', anonymousId: 'anon-2', name: 'Home', timestamp: '2026-04-03T08:00:00Z', messageId: uid() },
    { type: 'track', userId: 'bob', event: 'signup', timestamp: '2026-04-03T08:03:00Z', messageId: uid() },
  ];
  for (const m of stitched) {   // one call each, in order, like a browser would
    const r = await postBatch(srv, [m]);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.accepted, 1, r.text);
  }
  const rc = await postBatch(srv, control);
  assert.equal(rc.json.accepted, 2, rc.text);

  const day1 = await query(srv, trend([
    { event: '$all', measure: 'persons' },
    { event: '$pageview', measure: 'persons' },
    { event: '$pageview', measure: 'events' },
    { event: 'signup', measure: 'persons' },
  ], '2026-04-01', '2026-04-02'));
  assert.equal(day1.series[0].total, 1, 'anon-1 and alice are one person');
  assert.equal(day1.series[1].total, 1);
  assert.equal(day1.series[2].total, 2);
  assert.equal(day1.series[3].total, 1);

  const control1 = await query(srv, trend([{ event: '$all', measure: 'persons' }], '2026-04-03', '2026-04-03'));
  assert.equal(control1.series[0].total, 2, 'anon-2 and bob were never joined');

  const all = await query(srv, trend([{ measure: 'persons' }], '2026-04-01', '2026-04-03'));
  assert.equal(all.series[0].total, 3, 'alice, anon-2, bob');

  // The anonymous page views are attributed to the canonical person in the event list.
  const ev = await apiGet(srv, '/api/events?limit=50&q=anon-1');
  assert.equal(ev.status, 200, ev.text);
  const pages = ev.json.events.filter((e) => e.event === '$pageview');
  assert.equal(pages.length, 2, ev.text);
  for (const p of pages) {
    assert.equal(p.person, 'alice');
    assert.equal(p.anonymous_id, 'anon-1');
  }

  // Role of the stitched person applies to its anonymous page views too.
  const byRole = await query(srv, trend([{ event: '$pageview', measure: 'events' }], '2026-04-01', '2026-04-01',
    { breakdown: { source: 'person', property: 'role' } }));
  assert.deepEqual(byRole.series.map((s) => [s.breakdown_value, s.total]), [['evaluator', 2]]);

  // Still one person after a restart (the identity graph is rebuilt from the store).
  await srv.restart();
  const again = await query(srv, trend([{ event: '$all', measure: 'persons' }], '2026-04-01', '2026-04-02'));
  assert.equal(again.series[0].total, 1);
});
