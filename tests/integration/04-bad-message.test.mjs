// 4. One bad message among good ones: 200, the good ones stored, the bad one quarantined
// with its reason (API and CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, login, apiGet, runCli, uid } from './harness.mjs';

const good = (i) => ({ type: 'track', userId: `u${i}`, event: 'good', messageId: uid(`good${i}`), timestamp: '2026-06-10T12:00:00Z' });

const cases = [
  { name: 'timestamp "yesterday"', bad: (id) => ({ type: 'track', userId: 'u9', event: 'good', messageId: id, timestamp: 'yesterday' }), field: 'batch[2].timestamp', reason: /timestamp/i },
  { name: 'no userId and no anonymousId', bad: (id) => ({ type: 'track', event: 'good', messageId: id, timestamp: '2026-06-10T12:00:00Z' }), field: /^batch\[2\]\.(userId|anonymousId)$/, reason: /userId|anonymousId/ },
  { name: 'track without event', bad: (id) => ({ type: 'track', userId: 'u9', messageId: id, timestamp: '2026-06-10T12:00:00Z' }), field: 'batch[2].event', reason: /event/ },
];

for (const c of cases) {
  test(`batch of 5 with one bad message (${c.name}) → 4 accepted, 1 quarantined`, async (t) => {
    const srv = await startServer(t);
    const badId = uid('bad');
    const batch = [good(0), good(1), c.bad(badId), good(3), good(4)];
    const r = await postBatch(srv, batch);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.success, true, r.text);
    assert.equal(r.json.accepted, 4, r.text);
    assert.equal(r.json.rejected, 1, r.text);
    assert.equal(r.json.duplicates, 0, r.text);
    assert.equal(r.json.errors.length, 1, r.text);
    const err = r.json.errors[0];
    assert.equal(err.index, 2, r.text);
    assert.equal(err.messageId, badId, r.text);
    assert.equal(err.code, 'invalid_argument', r.text);
    if (typeof c.field === 'string') assert.equal(err.field, c.field, r.text);
    else assert.match(err.field, c.field, r.text);
    assert.match(err.message, c.reason, r.text);

    const a = await query(srv, trend([{ event: 'good', measure: 'events' }, { event: 'good', measure: 'persons' }], '2026-06-10', '2026-06-10'));
    assert.equal(a.series[0].total, 4, 'the four good messages are queryable');
    assert.equal(a.series[1].total, 4, 'u0, u1, u3, u4');

    const cookie = await login(srv);
    const qres = await apiGet(srv, '/api/quarantine?limit=100&offset=0', { cookie });
    assert.equal(qres.status, 200, qres.text);
    assert.equal(qres.json.total, 1, qres.text);
    assert.equal(qres.json.items.length, 1, qres.text);
    const item = qres.json.items[0];
    assert.equal(item.code, 'invalid_argument');
    assert.match(item.message, c.reason);
    assert.ok(item.field && item.field.length > 0, qres.text);
    assert.ok(typeof item.id === 'number');
    assert.ok(!Number.isNaN(Date.parse(item.received_at)), item.received_at);
    assert.ok(item.payload.includes(badId), 'payload is the message as received');
    assert.deepEqual(JSON.parse(item.payload), batch[2]);

    const cli = await runCli(['quarantine', 'list', '--data', srv.dataDir]);
    assert.ok(cli.stdout.includes(badId) || cli.stdout.includes(item.message),
      `CLI output mentions the message: ${cli.stdout}`);
    assert.match(cli.stdout, c.reason);
  });
}

test('a message over 32 KiB is rejected alone', async (t) => {
  const srv = await startServer(t);
  const big = { type: 'track', userId: 'u9', event: 'good', messageId: uid('big'), timestamp: '2026-06-10T12:00:00Z', properties: { blob: 'x'.repeat(40 * 1024) } };
  const r = await postBatch(srv, [good(0), big, good(2)]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 2, r.text);
  assert.equal(r.json.rejected, 1, r.text);
  assert.equal(r.json.errors[0].index, 1, r.text);
});
