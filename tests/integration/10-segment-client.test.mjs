// 10. The stock @segment/analytics-node client pointed at tobops works unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Analytics } from '@segment/analytics-node';
import { startServer, query, trend, totalsByValue, apiGet } from './harness.mjs';

test('@segment/analytics-node: identify, group, track and page calls land in tobops', async (t) => {
  const srv = await startServer(t);
  const analytics = new Analytics({
    writeKey: srv.writeKey,
    host: srv.url,
    path: '/v1/batch',
    flushAt: 1,
    flushInterval: 200,
    maxRetries: 2,
    httpRequestTimeout: 10000,
  });
  const errors = [];
  const responses = [];
  analytics.on('error', (e) => errors.push(e));
  analytics.on('http_response', (r) => responses.push(r.status));
  t.after(() => analytics.closeAndFlush({ timeout: 5000 }).catch(() => {}));

  // Each call resolves when its batch was delivered, so the server sees them in order.
  const call = (method, params) => new Promise((resolve, reject) => {
    analytics[method](params, (err, ctx) => (err ? reject(err) : resolve(ctx)));
  });
  const day = (h, m = 0) => new Date(Date.UTC(2026, 9, 5, h, m)); // 2026-10-05 UTC

  await call('page', { anonymousId: 'anon-zhang', name: 'Home', properties: { channel: 'sem' }, timestamp: day(1) });
  await call('identify', { anonymousId: 'anon-zhang', userId: 'zhang', traits: { role: 'decision_maker', name: '张三' }, timestamp: day(2) });
  await call('group', { userId: 'zhang', groupId: 'acme-cn', traits: { industry: '制造业', name: '艾克米中国' }, timestamp: day(3) });
  await call('track', { userId: 'zhang', event: '试用开始', properties: { plan: 'pro' }, timestamp: day(4) });
  await call('track', { userId: 'zhang', event: '试用开始', properties: { plan: 'team' }, timestamp: day(5) });
  await call('page', { userId: 'zhang', name: 'Pricing', properties: { path: '/pricing' }, timestamp: day(6) });
  await analytics.closeAndFlush({ timeout: 10000 });

  assert.deepEqual(errors, [], `client errors: ${JSON.stringify(errors)}`);
  assert.ok(responses.length >= 6 && responses.every((s) => s === 200), `HTTP statuses: ${responses}`);

  const a = await query(srv, trend([
    { event: '试用开始', measure: 'events' },
    { event: '$identify', measure: 'events' },
    { event: '$group', measure: 'events' },
    { event: '$pageview', measure: 'events' },
    { event: '$all', measure: 'persons' },
    { event: '$all', measure: 'accounts' },
    { event: '$all', measure: 'events' },
  ], '2026-10-05', '2026-10-05'));
  assert.deepEqual(a.series.map((s) => s.total), [2, 1, 1, 2, 1, 1, 6]);

  const byIndustry = await query(srv, trend([{ event: '试用开始', measure: 'events' }], '2026-10-05', '2026-10-05',
    { breakdown: { source: 'account', property: 'industry' } }));
  assert.deepEqual(totalsByValue(byIndustry), { '制造业': 2 });

  const byRole = await query(srv, trend([{ event: '$pageview', measure: 'persons' }], '2026-10-05', '2026-10-05',
    { breakdown: { source: 'person', property: 'role' } }));
  assert.deepEqual(totalsByValue(byRole), { decision_maker: 1 });

  const ev = await apiGet(srv, '/api/events?limit=50');
  assert.equal(ev.status, 200, ev.text);
  const tracks = ev.json.events.filter((e) => e.event === '试用开始');
  assert.equal(tracks.length, 2);
  for (const e of tracks) {
    assert.equal(e.account, 'acme-cn');
    assert.equal(e.person, 'zhang');
    assert.ok(Math.abs(Date.parse(e.timestamp) - Date.parse(tracks[0].timestamp)) <= 3600 * 1000 + 5000);
  }
  assert.deepEqual(tracks.map((e) => e.properties.plan).sort(), ['pro', 'team']);
  // The client's timestamps survive (sentAt correction only adds the tiny transit skew).
  const pro = tracks.find((e) => e.properties.plan === 'pro');
  assert.ok(Math.abs(Date.parse(pro.timestamp) - day(4).getTime()) < 5000, pro.timestamp);
});
