// 11. CRASH TEST (kill -9 during concurrent ingest). Acknowledged data is never lost and
// never duplicated: 4 writers send batches of 50 unique messages while the server is killed
// with SIGKILL at random moments and restarted on the same data directory. Every messageId
// whose batch got a 200 must be stored exactly once; unacknowledged batches retried once
// after the restart must not create duplicates either. Bounded to well under 60 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, allEvents, query, trend, sleep, uid } from './harness.mjs';

const BATCH = 50;
const WRITERS = 4;
const BASE_TS = Date.UTC(2026, 10, 1, 0, 0, 0); // 2026-11-01T00:00:00Z
const STEP_MS = 10;                             // every message gets its own timestamp

test('CRASH TEST: SIGKILL during concurrent ingest loses and duplicates nothing acknowledged', { timeout: 120000 }, async (t) => {
  const srv = await startServer(t);
  const started = Date.now();
  const rand = (lo, hi) => lo + Math.floor(Math.random() * (hi - lo + 1));

  let seq = 0;
  const acked = new Set();       // messageIds of batches answered 200
  const unacked = [];            // batches without a 200 (connection refused/reset, timeout, 5xx)
  const unexpected = [];         // 200 answers whose counts are wrong, other 4xx
  let stop = false;

  const makeBatch = () => Array.from({ length: BATCH }, () => {
    const n = seq++;
    return {
      type: 'track', event: 'crash', userId: `w${n % 37}`, messageId: uid(`c${n}`),
      timestamp: BASE_TS + n * STEP_MS, properties: { seq: n },
    };
  });

  async function writer() {
    while (!stop) {
      const batch = makeBatch();
      let res = null;
      try {
        res = await postBatch(srv, batch, { timeoutMs: 10000 });
      } catch {
        res = null; // the server died under us
      }
      if (res && res.status === 200) {
        if (res.json.accepted !== BATCH || res.json.rejected !== 0) unexpected.push(res.text);
        for (const m of batch) acked.add(m.messageId);
      } else {
        if (res && res.status < 500) unexpected.push(`${res.status} ${res.text}`);
        unacked.push(batch);
        await sleep(30);
      }
      await sleep(5);
    }
  }

  const writers = Array.from({ length: WRITERS }, () => writer());
  const kills = rand(3, 5);
  try {
    for (let k = 0; k < kills; k++) {
      await sleep(rand(200, 1500));
      await srv.kill9();
      await sleep(rand(0, 300)); // writers see refused connections meanwhile
      await srv.start();
    }
    await sleep(500); // some more traffic after the last restart
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  // One more crash with nothing in flight, then read everything back.
  await srv.kill9();
  await srv.start();

  t.diagnostic(`kills: ${kills + 1}, sent: ${seq}, acknowledged: ${acked.size}, unacknowledged batches: ${unacked.length}, ${Date.now() - started} ms`);
  assert.deepEqual(unexpected, [], 'unexpected answers');
  assert.ok(acked.size >= BATCH * 4, `too little traffic to be meaningful: ${acked.size}`);

  const countIds = (events) => {
    const counts = new Map();
    for (const e of events) counts.set(e.message_id, (counts.get(e.message_id) || 0) + 1);
    return counts;
  };

  let events = await allEvents(srv);
  let counts = countIds(events);
  const missing = [...acked].filter((id) => !counts.has(id));
  const doubled = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
  assert.deepEqual(missing.slice(0, 20), [], `${missing.length} acknowledged messages lost`);
  assert.deepEqual(doubled.slice(0, 20), [], `${doubled.length} messages stored twice`);
  const unackedIds = new Set(unacked.flat().map((m) => m.messageId));
  const phantom = [...counts.keys()].filter((id) => !acked.has(id) && !unackedIds.has(id));
  assert.deepEqual(phantom, [], 'events nobody sent');
  for (const e of events) {
    assert.equal(e.event, 'crash');
    const n = e.properties.seq;
    assert.equal(Date.parse(e.timestamp), BASE_TS + n * STEP_MS, `seq ${n} has its own timestamp`);
  }

  // Retry every unacknowledged batch once: all must now be stored, none twice.
  let retriedAccepted = 0;
  let retriedDuplicates = 0;
  for (const batch of unacked) {
    const r = await postBatch(srv, batch, { timeoutMs: 15000 });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.rejected, 0, r.text);
    assert.equal(r.json.accepted + r.json.duplicates, BATCH, r.text);
    retriedAccepted += r.json.accepted;
    retriedDuplicates += r.json.duplicates;
  }
  t.diagnostic(`retried ${unacked.length} batches: accepted ${retriedAccepted}, duplicates ${retriedDuplicates}`);

  events = await allEvents(srv);
  counts = countIds(events);
  const expected = new Set([...acked, ...unackedIds]);
  assert.equal(expected.size, seq, 'every sent message is either acknowledged or retried');
  const missing2 = [...expected].filter((id) => !counts.has(id));
  const doubled2 = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
  assert.deepEqual(missing2.slice(0, 20), [], `${missing2.length} messages missing after the retry`);
  assert.deepEqual(doubled2.slice(0, 20), [], `${doubled2.length} messages stored twice after the retry`);
  assert.equal(events.length, seq);

  // The query engine agrees with the event list.
  const lastDay = new Date(BASE_TS + seq * STEP_MS).toISOString().slice(0, 10);
  const a = await query(srv, trend([{ event: 'crash', measure: 'events' }], '2026-11-01', lastDay));
  assert.equal(a.series[0].total, seq);
});
