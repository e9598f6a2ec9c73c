// 15. Saved cohorts: saved over HTTP, listed, computed, and used as a filter and a
// breakdown in a trend through {"source":"cohort","cohort":id}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, login, request, query, uid, apiCall } from './harness.mjs';

let srv;
let cookie;
const DAY = 86400 * 1000;

before(async () => {
  srv = await startServer();
  const now = Date.now();
  const at = (daysAgo) => new Date(now - daysAgo * DAY - 3600 * 1000).toISOString();
  const track = (userId, event, daysAgo) => ({ type: 'track', userId, event, messageId: uid(), timestamp: at(daysAgo) });
  const batch = [
    { type: 'identify', userId: 'dm1', traits: { role: 'decision_maker' }, messageId: uid(), timestamp: at(20) },
    { type: 'identify', userId: 'dm2', traits: { role: 'decision_maker' }, messageId: uid(), timestamp: at(20) },
    { type: 'identify', userId: 'u1', traits: { role: 'user' }, messageId: uid(), timestamp: at(20) },
    // Logins in the last 7 days: dm1 ×3, u1 ×2, dm2 none (one 15 days ago).
    track('dm1', '登录', 1), track('dm1', '登录', 2), track('dm1', '登录', 3),
    track('u1', '登录', 1), track('u1', '登录', 2),
    track('dm2', '登录', 15),
  ];
  const r = await postBatch(srv, batch);
  assert.equal(r.status, 200, r.text);
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const decisionMakers = {
  entity: 'person',
  conditions: [{ type: 'property', source: 'person', property: 'role', op: 'eq', value: 'decision_maker' }],
};

test('a saved cohort is listed and computed', async () => {
  const saved = await api('/api/cohorts', { method: 'POST', body: { name: '决策者', definition: decisionMakers } });
  assert.equal(saved.status, 201, saved.text);
  const list = await api('/api/cohorts');
  assert.equal(list.status, 200);
  const mine = list.json.cohorts.find((c) => c.name === '决策者');
  assert.deepEqual(mine.definition, decisionMakers);
  assert.equal(mine.entity, 'person');
  const members = await query(srv, { kind: 'cohort', cohort: saved.json.cohort.id });
  assert.deepEqual(members.ids, ['dm1', 'dm2']);
  assert.equal(members.count, 2);

  const dup = await api('/api/cohorts', { method: 'POST', body: { name: '决策者', definition: decisionMakers } });
  assert.equal(dup.status, 409);
  assert.equal(dup.json.error.field, 'name');
  const bad = await api('/api/cohorts', { method: 'POST', body: { name: 'x', definition: { conditions: [{ type: 'magic' }] } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'definition.conditions[0].type');
});

test('a cohort filters and breaks down a trend', async () => {
  const saved = await api('/api/cohorts', {
    method: 'POST',
    body: { name: '活跃', definition: { conditions: [{ type: 'event', event: '登录', op: 'gte', count: 2, window: '7d' }] } },
  });
  assert.equal(saved.status, 201, saved.text);
  const active = saved.json.cohort.id;
  const dms = (await api('/api/cohorts')).json.cohorts.find((c) => c.name === '决策者').id;
  const spec = (extra) => ({ kind: 'trend', series: [{ event: '登录', measure: 'events' }], range: { last: '30d' }, ...extra });
  // Decision makers' logins: dm1 3 + dm2 1 = 4 (u1's 2 are filtered out).
  const filtered = await query(srv, spec({ filters: [{ source: 'cohort', cohort: dms }] }));
  assert.equal(filtered.series[0].total, 4, JSON.stringify(filtered.series));
  const negated = await query(srv, spec({ filters: [{ source: 'cohort', cohort: dms, op: 'not_in' }] }));
  assert.equal(negated.series[0].total, 2);
  // Breakdown by the "active" cohort (≥ 2 logins in 7 days: dm1, u1): true → 5, null → 1.
  const split = await query(srv, spec({ breakdown: { source: 'cohort', cohort: active } }));
  const byValue = Object.fromEntries(split.series.map((s) => [String(s.breakdown_value), s.total]));
  assert.deepEqual(byValue, { true: 5, null: 1 });

  const missing = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify(spec({ filters: [{ source: 'cohort', cohort: 999999 }] })),
  });
  assert.equal(missing.status, 404, missing.text);
  assert.equal(missing.json.error.field, 'filters[0].cohort');
});

test('a saved cohort is edited in place: same id, new definition, members recomputed', async () => {
  // "active" = 登录 at least twice in 7 days → dm1 (3), u1 (2); dm2's login is 15 days old.
  const active = (count) => ({ entity: 'person', conditions: [{ type: 'event', event: '登录', op: 'gte', count, window: '7d' }] });
  const saved = await api('/api/cohorts', { method: 'POST', body: { name: '常登录', definition: active(2) } });
  assert.equal(saved.status, 201, saved.text);
  const id = saved.json.cohort.id;
  assert.deepEqual((await query(srv, { kind: 'cohort', cohort: id })).ids, ['dm1', 'u1']);

  // At least 3 logins → dm1 only; renamed too.
  const put = await api(`/api/cohorts/${id}`, { method: 'PUT', body: { name: '很活跃', definition: active(3) } });
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json.cohort.id, id);
  assert.equal(put.json.cohort.name, '很活跃');
  assert.equal(put.json.cohort.created_at, saved.json.cohort.created_at);
  assert.deepEqual((await query(srv, { kind: 'cohort', cohort: id })).ids, ['dm1']);
  const listed = (await api('/api/cohorts')).json.cohorts.filter((c) => c.id === id);
  assert.deepEqual(listed.map((c) => c.name), ['很活跃']);

  // Errors name the field; nothing changes on a refused edit.
  const clash = await api(`/api/cohorts/${id}`, { method: 'PUT', body: { name: '决策者', definition: active(1) } });
  assert.equal(clash.status, 409);
  assert.equal(clash.json.error.field, 'name');
  const bad = await api(`/api/cohorts/${id}`, { method: 'PUT', body: { name: '很活跃', definition: { conditions: [{ type: 'event', event: '登录', op: 'gte', count: -1 }] } } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.field, /^definition\.conditions\[0\]/);
  assert.deepEqual((await query(srv, { kind: 'cohort', cohort: id })).ids, ['dm1']);
  const missing = await api('/api/cohorts/999999', { method: 'PUT', body: { name: 'y', definition: active(1) } });
  assert.equal(missing.status, 404);
  const token = await apiCall(srv, null, `/api/cohorts/${id}`, { method: 'PUT', auth: 'token', body: { name: 'z', definition: active(1) } });
  assert.equal(token.status, 403);
});
