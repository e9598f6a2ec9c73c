// 5. Errors: authentication, malformed bodies, oversize bodies, invalid query specs,
// permissions. Every error body is {"error": {"code", "message"}} with the matching status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, request, basicAuth, uid } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.cleanup(); });

const STATUS_OF = { invalid_argument: 400, unauthenticated: 401, permission_denied: 403, not_found: 404, resource_exhausted: 413 };

function assertError(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.ok(res.json && res.json.error, `JSON error body expected, got: ${res.text.slice(0, 300)}`);
  assert.equal(res.json.error.code, code, res.text);
  assert.equal(STATUS_OF[code], status);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 0);
  assert.match(res.headers.get('content-type') || '', /application\/json/);
}

const oneTrack = () => [{ type: 'track', userId: 'u1', event: 'e', messageId: uid(), timestamp: '2026-06-01T00:00:00Z' }];

test('ingest without a key → 401', async () => {
  assertError(await postBatch(srv, oneTrack(), { writeKey: null }), 401, 'unauthenticated');
});

test('ingest with a wrong key → 401', async () => {
  assertError(await postBatch(srv, oneTrack(), { writeKey: 'tbw_0000000000000000000000000000000000000000000000000000000000000000' }), 401, 'unauthenticated');
  assertError(await postBatch(srv, oneTrack(), { writeKey: 'nonsense' }), 401, 'unauthenticated');
});

test('a read token used as write key → 401', async () => {
  assertError(await postBatch(srv, oneTrack(), { writeKey: srv.readToken }), 401, 'unauthenticated');
});

test('writeKey in the body is accepted; a wrong one in the body is not', async () => {
  const ok = await postBatch(srv, oneTrack(), { writeKey: null, extra: { writeKey: srv.writeKey } });
  assert.equal(ok.status, 200, ok.text);
  assertError(await postBatch(srv, oneTrack(), { writeKey: null, extra: { writeKey: srv.readToken } }), 401, 'unauthenticated');
});

test('malformed JSON → 400 with error.message', async () => {
  const res = await request(`${srv.url}/v1/batch`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: basicAuth(srv.writeKey) },
    body: '{"batch": [ {"type": "track", ',
  });
  assertError(res, 400, 'invalid_argument');
});

test('body over 4 MiB → 413 with a JSON error', async () => {
  const filler = 'x'.repeat(4 * 1024 * 1024 + 100);
  const body = JSON.stringify({ batch: oneTrack(), padding: filler });
  let res;
  try {
    res = await request(`${srv.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: basicAuth(srv.writeKey) },
      body,
    });
  } catch (e) {
    assert.fail(`the server closed the connection instead of answering 413: ${e.cause || e}`);
  }
  assertError(res, 413, 'resource_exhausted');
  // The server is still fine afterwards.
  const ok = await postBatch(srv, oneTrack());
  assert.equal(ok.status, 200, ok.text);
});

test('gzip body that inflates beyond 4 MiB → 413', async () => {
  const batch = oneTrack();
  const res = await postBatch(srv, batch, { gzip: true, extra: { padding: 'y'.repeat(5 * 1024 * 1024) } });
  assertError(res, 413, 'resource_exhausted');
});

test('POST /api/query without auth → 401', async () => {
  const res = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'trend', series: [{ event: 'e', measure: 'events' }], interval: 'day', range: { last: '30d' } }),
  });
  assertError(res, 401, 'unauthenticated');
});

test('POST /api/query with a write key as bearer → 401 or 403', async () => {
  const res = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.writeKey}` },
    body: JSON.stringify({ kind: 'trend', series: [{ event: 'e', measure: 'events' }], interval: 'day', range: { last: '30d' } }),
  });
  assert.ok(res.status === 401 || res.status === 403, res.text);
  assertError(res, res.status, res.status === 401 ? 'unauthenticated' : 'permission_denied');
});

test('invalid spec interval "decade" → 400 with field interval', async () => {
  const res = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.readToken}` },
    body: JSON.stringify({ kind: 'trend', series: [{ event: 'e', measure: 'events' }], interval: 'decade', range: { from: '2026-01-01', to: '2026-01-31' } }),
  });
  assertError(res, 400, 'invalid_argument');
  assert.equal(res.json.error.field, 'interval', res.text);
});

test('invalid spec measure and malformed query JSON → 400', async () => {
  const bad = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.readToken}` },
    body: JSON.stringify({ kind: 'trend', series: [{ event: 'e', measure: 'dollars' }], interval: 'day', range: { from: '2026-01-01', to: '2026-01-31' } }),
  });
  assertError(bad, 400, 'invalid_argument');
  assert.match(bad.json.error.field || '', /measure/, bad.text);
  const broken = await request(`${srv.url}/api/query`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.readToken}` },
    body: '{"kind": "trend", ',
  });
  assertError(broken, 400, 'invalid_argument');
});

test('/api/keys with a read token → 403', async () => {
  const res = await request(`${srv.url}/api/keys`, { headers: { Authorization: `Bearer ${srv.readToken}` } });
  assertError(res, 403, 'permission_denied');
  const post = await request(`${srv.url}/api/keys`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${srv.readToken}` },
    body: JSON.stringify({ kind: 'write', name: 'evil' }),
  });
  assert.ok(post.status === 403 || post.status === 401, post.text);
  assert.ok(post.json?.error?.code, post.text);
});

test('/api/me without session → 401; wrong password login → 401', async () => {
  assertError(await request(`${srv.url}/api/me`), 401, 'unauthenticated');
  const res = await request(`${srv.url}/api/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'wrong-password-123' }),
  });
  assertError(res, 401, 'unauthenticated');
});
