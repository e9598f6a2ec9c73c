// 3. Clock skew: the stored time is timestamp + (receivedAt - sentAt), as Segment does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, apiGet, uid } from './harness.mjs';

const HOUR = 3600 * 1000;
const TOLERANCE = 3000;

async function fetchOne(srv, messageId) {
  const res = await apiGet(srv, `/api/events?limit=10&q=${encodeURIComponent(messageId)}`);
  assert.equal(res.status, 200, res.text);
  const found = res.json.events.filter((e) => e.message_id === messageId);
  assert.equal(found.length, 1, res.text);
  return found[0];
}

test('message sentAt one hour ahead moves the event one hour back', async (t) => {
  const srv = await startServer(t);
  const T = Date.now();
  const id = uid('skew');
  const t0 = Date.now();
  const r = await postBatch(srv, [{
    type: 'track', userId: 'u1', event: 'skewed', messageId: id,
    timestamp: new Date(T).toISOString(), sentAt: new Date(T + HOUR).toISOString(),
  }]);
  const t1 = Date.now();
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, 1, r.text);
  const e = await fetchOne(srv, id);
  const stored = Date.parse(e.timestamp);
  // receivedAt is within [t0, t1]: stored ∈ [T + t0 - (T+1h), T + t1 - (T+1h)] = [t0 - 1h, t1 - 1h].
  assert.ok(stored >= t0 - HOUR - TOLERANCE && stored <= t1 - HOUR + TOLERANCE,
    `stored ${e.timestamp}, expected about ${new Date(T - HOUR).toISOString()}`);
  const received = Date.parse(e.received_at);
  assert.ok(received >= t0 - TOLERANCE && received <= t1 + TOLERANCE, `received_at ${e.received_at}`);
});

test('batch-level sentAt (as SDKs send it) corrects a past timestamp', async (t) => {
  const srv = await startServer(t);
  const T = Date.now() - 2 * 24 * HOUR;       // event queued two days ago (device clock)
  const sentAt = Date.now() - 30 * 60 * 1000; // device clock is 30 min behind at send time
  const id = uid('skew');
  const t0 = Date.now();
  const r = await postBatch(srv, [{ type: 'track', userId: 'u1', event: 'skewed', messageId: id, timestamp: T }],
    { extra: { sentAt: new Date(sentAt).toISOString() } });
  const t1 = Date.now();
  assert.equal(r.status, 200, r.text);
  const e = await fetchOne(srv, id);
  const stored = Date.parse(e.timestamp);
  const lo = T + (t0 - sentAt) - TOLERANCE;
  const hi = T + (t1 - sentAt) + TOLERANCE;
  assert.ok(stored >= lo && stored <= hi,
    `stored ${e.timestamp}, expected about ${new Date(T + 30 * 60 * 1000).toISOString()}`);
});

test('without sentAt the timestamp is kept as sent', async (t) => {
  const srv = await startServer(t);
  const id = uid('noskew');
  const r = await postBatch(srv, [{ type: 'track', userId: 'u1', event: 'plain', messageId: id, timestamp: '2026-05-05T05:05:05.500+08:00' }]);
  assert.equal(r.status, 200, r.text);
  const e = await fetchOne(srv, id);
  assert.equal(Date.parse(e.timestamp), Date.parse('2026-05-04T21:05:05.500Z'));
});
