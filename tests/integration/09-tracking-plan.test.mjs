// 9. Tracking plan: quarantine mode rejects violating and unplanned events; flag mode
// accepts them and counts violations; the report shows seen / violations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, login, request, apiGet, poll, uid } from './harness.mjs';

const plan = (mode) => ({
  mode,
  events: [{
    name: 'purchase',
    description: '下单 / order placed',
    properties: [{ name: 'amount', type: 'number', required: true }],
  }],
});

async function putPlan(srv, cookie, body) {
  const res = await request(`${srv.url}/api/tracking-plan`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, res.text);
  return res;
}

const purchase = (amount, ts) => ({ type: 'track', userId: 'buyer', event: 'purchase', messageId: uid('p'), timestamp: ts, properties: { amount } });

async function reportEvent(srv, cookie, name, until) {
  let last = null;
  const ok = await poll(async () => {
    const res = await apiGet(srv, '/api/tracking-plan/report', { cookie });
    assert.equal(res.status, 200, res.text);
    last = res.json;
    const e = res.json.events.find((x) => x.name === name);
    return e && until(e) ? e : null;
  }, { timeoutMs: 8000, intervalMs: 250 });
  assert.ok(ok, `report never showed the expected numbers for ${name}: ${JSON.stringify(last)}`);
  return { event: ok, report: last };
}

test('quarantine mode: wrong type and unplanned events are rejected, valid ones accepted', async (t) => {
  const srv = await startServer(t);
  const cookie = await login(srv);
  await putPlan(srv, cookie, plan('quarantine'));
  const got = await apiGet(srv, '/api/tracking-plan', { cookie });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.mode, 'quarantine');
  assert.equal(got.json.events.length, 1);
  assert.equal(got.json.events[0].name, 'purchase');
  assert.deepEqual(got.json.events[0].properties.map((p) => [p.name, p.type, p.required]), [['amount', 'number', true]]);

  const bad = purchase('abc', '2026-09-01T10:00:00Z');
  const good = purchase(99.5, '2026-09-01T11:00:00Z');
  const unplanned = { type: 'track', userId: 'buyer', event: 'refund', messageId: uid('u'), timestamp: '2026-09-01T12:00:00Z' };
  const missing = { type: 'track', userId: 'buyer', event: 'purchase', messageId: uid('m'), timestamp: '2026-09-01T13:00:00Z', properties: {} };
  const r = await postBatch(srv, [bad, good, unplanned, missing]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1, r.text);
  assert.equal(r.json.rejected, 3, r.text);
  const byIndex = Object.fromEntries(r.json.errors.map((e) => [e.index, e]));
  assert.deepEqual(Object.keys(byIndex).sort(), ['0', '2', '3'], r.text);
  assert.match(byIndex[0].message, /amount/, r.text);
  assert.match(byIndex[0].field, /amount/, r.text);
  assert.match(byIndex[2].message, /refund|unplanned|not (in the )?plan/i, r.text);
  assert.match(byIndex[3].message, /amount/, r.text);

  const a = await query(srv, trend([{ event: 'purchase', measure: 'events' }, { event: 'refund', measure: 'events' }], '2026-09-01', '2026-09-01'));
  assert.equal(a.series[0].total, 1, 'only the valid purchase is stored');
  assert.equal(a.series[1].total, 0, 'the unplanned event is not stored');

  const q = await apiGet(srv, '/api/quarantine?limit=100', { cookie });
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.total, 3, q.text);
  const badItem = q.json.items.find((i) => i.payload.includes(bad.messageId));
  assert.ok(badItem, q.text);
  assert.match(badItem.message, /amount/);
  assert.ok(q.json.items.some((i) => i.payload.includes(unplanned.messageId)), q.text);

  const { event: pe, report } = await reportEvent(srv, cookie, 'purchase', (e) => e.violations >= 2);
  assert.equal(report.mode, 'quarantine');
  assert.equal(pe.planned, true);
  assert.equal(pe.violations, 2, JSON.stringify(pe));
  assert.ok(pe.seen >= 1 && pe.seen <= 3, `seen ${pe.seen}`);
  assert.ok(pe.last_violation && /amount/.test(pe.last_violation.message), JSON.stringify(pe));
  assert.ok(!Number.isNaN(Date.parse(pe.last_violation.at)));
  const amount = pe.properties.find((p) => p.name === 'amount');
  assert.ok(amount && amount.planned === true, JSON.stringify(pe));
  const re = await reportEvent(srv, cookie, 'refund', (e) => e.violations >= 1);
  assert.equal(re.event.planned, false);
  assert.equal(re.event.violations, 1);
});

test('flag mode: violating events are accepted and counted as violations', async (t) => {
  const srv = await startServer(t);
  const cookie = await login(srv);
  await putPlan(srv, cookie, plan('flag'));
  const r = await postBatch(srv, [
    purchase('abc', '2026-09-02T10:00:00Z'),
    purchase('12x', '2026-09-02T10:01:00Z'),
    purchase(5, '2026-09-02T10:02:00Z'),
  ]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 3, r.text);
  assert.equal(r.json.rejected, 0, r.text);
  const a = await query(srv, trend([{ event: 'purchase', measure: 'events' }], '2026-09-02', '2026-09-02'));
  assert.equal(a.series[0].total, 3);
  const { event: pe, report } = await reportEvent(srv, cookie, 'purchase', (e) => e.seen >= 3 && e.violations >= 2);
  assert.equal(report.mode, 'flag');
  assert.equal(pe.seen, 3);
  assert.equal(pe.violations, 2);
  assert.ok(pe.last_seen && !Number.isNaN(Date.parse(pe.last_seen)));
  const q = await apiGet(srv, '/api/quarantine', { cookie });
  assert.equal(q.json.total, 0, 'flag mode quarantines nothing');
});

test('PUT /api/tracking-plan needs an admin session; bad mode → 400', async (t) => {
  const srv = await startServer(t);
  const withToken = await request(`${srv.url}/api/tracking-plan`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.readToken}` },
    body: JSON.stringify(plan('quarantine')),
  });
  assert.ok(withToken.status === 403 || withToken.status === 401, withToken.text);
  const cookie = await login(srv);
  const bad = await request(`${srv.url}/api/tracking-plan`, {
    method: 'PUT', headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({ mode: 'strictest', events: [] }),
  });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.code, 'invalid_argument');
  // Still accept_all: nothing is rejected.
  const r = await postBatch(srv, [purchase('abc', '2026-09-03T10:00:00Z')]);
  assert.equal(r.json.accepted, 1, r.text);
});
