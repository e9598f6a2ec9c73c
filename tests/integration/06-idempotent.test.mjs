// 6. Idempotent retry: the same messageIds sent again are duplicates, also after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, query, trend, uid } from './harness.mjs';

const N = 7;
const makeBatch = () => Array.from({ length: N }, (_, i) => ({
  type: 'track', userId: `u${i % 3}`, event: 'retry', messageId: uid(`r${i}`),
  timestamp: Date.UTC(2026, 6, 1, 10, 0, i), properties: { i },
}));

async function count(srv) {
  const a = await query(srv, trend([{ event: 'retry', measure: 'events' }], '2026-07-01', '2026-07-01'));
  return a.series[0].total;
}

test('the same batch twice: second answer has duplicates == N, accepted 0; counts unchanged', async (t) => {
  const srv = await startServer(t);
  const batch = makeBatch();
  const first = await postBatch(srv, batch);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual([first.json.accepted, first.json.duplicates, first.json.rejected], [N, 0, 0], first.text);
  const second = await postBatch(srv, batch);
  assert.equal(second.status, 200, second.text);
  assert.deepEqual([second.json.accepted, second.json.duplicates, second.json.rejected], [0, N, 0], second.text);
  assert.equal(await count(srv), N);

  // A retry that mixes old and new messages stores only the new ones.
  const extra = makeBatch().slice(0, 2).map((m) => ({ ...m, timestamp: Date.UTC(2026, 6, 1, 11, 0, 0) + m.properties.i }));
  const mixed = await postBatch(srv, [...batch.slice(0, 3), ...extra]);
  assert.deepEqual([mixed.json.accepted, mixed.json.duplicates], [2, 3], mixed.text);
  assert.equal(await count(srv), N + 2);

  // Duplicates inside one batch count once.
  const dupInside = makeBatch().slice(0, 1);
  const twice = await postBatch(srv, [dupInside[0], dupInside[0]]);
  assert.equal(twice.status, 200, twice.text);
  assert.deepEqual([twice.json.accepted, twice.json.duplicates], [1, 1], twice.text);
  assert.equal(await count(srv), N + 3);
});

test('a retry after a restart is still deduplicated (graceful stop and kill -9)', async (t) => {
  const srv = await startServer(t);
  const batch = makeBatch();
  const first = await postBatch(srv, batch);
  assert.equal(first.json.accepted, N, first.text);

  await srv.restart();
  const afterRestart = await postBatch(srv, batch);
  assert.equal(afterRestart.status, 200, afterRestart.text);
  assert.deepEqual([afterRestart.json.accepted, afterRestart.json.duplicates], [0, N], afterRestart.text);
  assert.equal(await count(srv), N);

  await srv.kill9();
  await srv.start();
  const afterKill = await postBatch(srv, batch);
  assert.deepEqual([afterKill.json.accepted, afterKill.json.duplicates], [0, N], afterKill.text);
  assert.equal(await count(srv), N);
});
