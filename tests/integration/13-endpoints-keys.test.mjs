// Single-message endpoints (/v1/track, /v1/identify, /v1/group, /v1/page, /v1/screen,
// /v1/alias), key management through the API (a revoked key stops working at once) and
// `tobops query` printing what the API answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, basicAuth, query, trend, login, runCli, totalsByValue, uid } from './harness.mjs';

async function post(srv, pathname, body, writeKey = srv.writeKey) {
  return request(`${srv.url}${pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(writeKey) },
    body: JSON.stringify(body),
  });
}

test('single-message endpoints store one event each; alias joins two ids', async (t) => {
  const srv = await startServer(t);
  const ts = (m) => `2026-05-20T10:${String(m).padStart(2, '0')}:00+08:00`; // 2026-05-20 02:mm UTC
  const calls = [
    ['/v1/page', { anonymousId: 'visitor-7', name: 'Docs', properties: { channel: 'video' }, timestamp: ts(1), messageId: uid() }],
    ['/v1/screen', { anonymousId: 'visitor-7', name: 'Login', timestamp: ts(2), messageId: uid() }],
    ['/v1/alias', { previousId: 'visitor-7', userId: 'li', timestamp: ts(3), messageId: uid() }],
    ['/v1/identify', { userId: 'li', traits: { role: 'budget_holder' }, timestamp: ts(4), messageId: uid() }],
    ['/v1/group', { userId: 'li', groupId: 'corp-9', traits: { industry: '零售' }, timestamp: ts(5), messageId: uid() }],
    ['/v1/track', { userId: 'li', event: 'report_exported', properties: { format: 'xlsx' }, timestamp: ts(6), messageId: uid() }],
  ];
  for (const [p, body] of calls) {
    const r = await post(srv, p, body);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
  }
  const a = await query(srv, trend([
    { event: '$all', measure: 'events' },
    { event: '$all', measure: 'persons' },
    { event: '$pageview', measure: 'events' },
    { event: 'report_exported', measure: 'accounts' },
  ], '2026-05-20', '2026-05-20'));
  assert.deepEqual(a.series.map((s) => s.total), [6, 1, 1, 1]);
  const byRole = await query(srv, trend([{ event: '$pageview', measure: 'events' }], '2026-05-20', '2026-05-20',
    { breakdown: { source: 'person', property: 'role' } }));
  assert.deepEqual(totalsByValue(byRole), { budget_holder: 1 }, 'the aliased visitor is li');

  // A bad single message is quarantined like in a batch (200, rejected 1) or refused with
  // 400; either way the answer names the field and nothing is stored.
  const bad = await post(srv, '/v1/track', { userId: 'li', timestamp: ts(7), messageId: uid() });
  if (bad.status === 200) {
    assert.deepEqual([bad.json.accepted, bad.json.rejected], [0, 1], bad.text);
    assert.match(bad.json.errors[0].field, /event/, bad.text);
  } else {
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.json.error.code, 'invalid_argument');
    assert.match(bad.json.error.field || '', /event/, bad.text);
  }
  const after = await query(srv, trend([{ event: '$all', measure: 'events' }], '2026-05-20', '2026-05-20'));
  assert.equal(after.series[0].total, 6);
});

test('a write key created through the API works, and stops working at once when revoked', async (t) => {
  const srv = await startServer(t);
  const cookie = await login(srv);
  const created = await request(`${srv.url}/api/keys`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie },
    body: JSON.stringify({ kind: 'write', name: 'website' }),
  });
  assert.ok(created.status === 200 || created.status === 201, created.text);
  const key = created.json.key;
  assert.equal(key.kind, 'write');
  assert.ok(key.secret && key.secret.startsWith(key.prefix), created.text);
  const msg = () => ({ userId: 'k', event: 'keyed', timestamp: '2026-05-21T00:00:00Z', messageId: uid() });
  assert.equal((await post(srv, '/v1/track', msg(), key.secret)).status, 200);

  const list = await request(`${srv.url}/api/keys`, { headers: { Cookie: cookie } });
  assert.equal(list.status, 200, list.text);
  const listed = list.json.keys.find((k) => k.id === key.id);
  assert.ok(listed && listed.revoked_at === null, list.text);
  assert.ok(!list.text.includes(key.secret), 'secrets are never listed');

  const del = await request(`${srv.url}/api/keys/${encodeURIComponent(key.id)}`, { method: 'DELETE', headers: { Cookie: cookie } });
  assert.equal(del.status, 200, del.text);
  const refused = await post(srv, '/v1/track', msg(), key.secret);
  assert.equal(refused.status, 401, refused.text);
  assert.equal(refused.json.error.code, 'unauthenticated');
  // The CLI-made key still works.
  assert.equal((await post(srv, '/v1/track', msg())).status, 200);
  const a = await query(srv, trend([{ event: 'keyed', measure: 'events' }], '2026-05-21', '2026-05-21'));
  assert.equal(a.series[0].total, 2);
});

test('tobops query --url prints exactly what POST /api/query answers', async (t) => {
  const srv = await startServer(t);
  const r = await post(srv, '/v1/track', { userId: 'q', event: '查询', timestamp: '2026-05-22T12:00:00Z', messageId: uid() });
  assert.equal(r.status, 200, r.text);
  const spec = trend([{ event: '查询', measure: 'events' }], '2026-05-21', '2026-05-23');
  const api = await query(srv, spec);
  assert.deepEqual(api.series[0].points.map((p) => p.value), [0, 1, 0]);
  const cli = await runCli(['query', '--url', srv.url, '--token', srv.readToken, '--json', JSON.stringify(spec)]);
  assert.deepEqual(JSON.parse(cli.stdout), api);
});
