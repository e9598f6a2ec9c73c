// 12. Console read APIs: /api/overview, /api/schema/events, /api/schema/properties,
// /api/me, /api/events paging — with a session cookie (and a read token).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postBatch, login, apiGet, request, poll, uid } from './harness.mjs';

const DAY = 86400 * 1000;
let srv;
let cookie;

before(async () => {
  srv = await startServer();
  const now = Date.now();
  const at = (daysAgo, minutes = 0) => new Date(now - daysAgo * DAY - 3600 * 1000 + minutes * 60000).toISOString();
  // Distinct timestamps (ms apart) so that paging by the time cursor is well defined.
  const old = (i) => new Date(now - 60 * DAY + i).toISOString();
  const track = (userId, event, account, properties, timestamp) =>
    ({ type: 'track', userId, event, messageId: uid(event), timestamp, properties, context: { groupId: account } });
  const batch = [
    // Identity and accounts long ago (outside the 30-day overview window).
    { type: 'group', userId: 'u1', groupId: 'A', traits: { industry: '制造业', size: 500 }, timestamp: old(0), messageId: uid() },
    { type: 'group', userId: 'u3', groupId: 'B', traits: { industry: 'finance' }, timestamp: old(1), messageId: uid() },
    { type: 'identify', userId: 'u1', traits: { role: 'signer', title: 'CEO' }, timestamp: old(2), messageId: uid() },
    track('u9', 'ancient', 'A', { channel: 'sem' }, old(3)),
    // In the window: 3 signups, 5 logins; persons u1 u2 u3; accounts A B.
    track('u1', 'signup', 'A', { channel: 'sem', plan: 'pro' }, at(1)),
    track('u2', 'signup', 'A', { channel: '官网' }, at(2)),
    track('u3', 'signup', 'B', { utm_source: 'baidu' }, at(3)),
    track('u1', 'login', 'A', { channel: 'sem' }, at(1, 5)),
    track('u1', 'login', 'A', { channel: 'sem' }, at(2, 5)),
    track('u1', 'login', 'A', { channel: 'sem' }, at(3, 5)),
    track('u2', 'login', 'A', {}, at(1, 10)),
    track('u2', 'login', 'A', {}, at(2, 10)),
  ];
  const r = await postBatch(srv, batch);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.accepted, batch.length, r.text);
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

test('GET /api/me with the session', async () => {
  const res = await apiGet(srv, '/api/me', { cookie });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json.user, { name: 'admin', role: 'admin' });
  assert.equal(res.json.project.id, 'default');
  assert.equal(typeof res.json.project.timezone, 'string');
});

test('GET /api/overview?days=30', async () => {
  const res = await apiGet(srv, '/api/overview?days=30', { cookie });
  assert.equal(res.status, 200, res.text);
  const o = res.json;
  assert.equal(o.events, 8, res.text);
  assert.equal(o.persons, 3, res.text);
  assert.equal(o.accounts, 2, res.text);
  assert.ok(Array.isArray(o.events_per_day));
  assert.ok(o.events_per_day.length >= 30 && o.events_per_day.length <= 31, `${o.events_per_day.length} days`);
  assert.equal(o.events_per_day.reduce((s, p) => s + p.value, 0), 8);
  for (const p of o.events_per_day) assert.ok(!Number.isNaN(Date.parse(p.t)), p.t);
  assert.deepEqual(o.top_events.map((e) => [e.name, e.count]), [['login', 5], ['signup', 3]]);
  const channels = Object.fromEntries(o.top_channels.map((c) => [c.name, c.count]));
  assert.deepEqual(channels, { sem: 4, '官网': 1, baidu: 1 });
  assert.equal(o.top_channels[0].name, 'sem');
});

test('GET /api/schema/events', async () => {
  const res = await apiGet(srv, '/api/schema/events', { cookie });
  assert.equal(res.status, 200, res.text);
  const byName = Object.fromEntries(res.json.events.map((e) => [e.name, e]));
  assert.equal(byName.signup?.count, 3, res.text);
  assert.equal(byName.login?.count, 5, res.text);
  for (const e of res.json.events) {
    assert.equal(typeof e.name, 'string');
    assert.equal(typeof e.count, 'number');
    assert.ok(!Number.isNaN(Date.parse(e.last_seen)), e.last_seen);
  }
  const lastLogin = Date.parse(byName.login.last_seen);
  assert.ok(Math.abs(lastLogin - (Date.now() - DAY - 3600 * 1000 + 10 * 60000)) < 120000, byName.login.last_seen);
});

test('GET /api/schema/properties?source=account|person|event', async () => {
  const acc = await apiGet(srv, '/api/schema/properties?source=account', { cookie });
  assert.equal(acc.status, 200, acc.text);
  const accNames = Object.fromEntries(acc.json.properties.map((p) => [p.name, p.count]));
  assert.equal(accNames.industry, 2, acc.text);
  assert.equal(accNames.size, 1, acc.text);
  const person = await apiGet(srv, '/api/schema/properties?source=person', { cookie });
  assert.equal(person.status, 200, person.text);
  const personNames = person.json.properties.map((p) => p.name);
  assert.ok(personNames.includes('role') && personNames.includes('title'), person.text);
  // Event properties come from the ingest observations, flushed about once per second.
  let ev;
  await poll(async () => {
    ev = await apiGet(srv, '/api/schema/properties?source=event', { cookie });
    return ev.status === 200 && ev.json.properties.length >= 3;
  }, { timeoutMs: 8000, intervalMs: 250 });
  assert.equal(ev.status, 200, ev.text);
  const evNames = ev.json.properties.map((p) => p.name);
  for (const n of ['channel', 'plan', 'utm_source']) assert.ok(evNames.includes(n), ev.text);
  const bad = await apiGet(srv, '/api/schema/properties?source=galaxy', { cookie });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.code, 'invalid_argument');
});

test('read APIs accept a read token and refuse anonymous callers', async () => {
  const withToken = await apiGet(srv, '/api/overview?days=30');
  assert.equal(withToken.status, 200, withToken.text);
  assert.equal(withToken.json.events, 8);
  const anon = await request(`${srv.url}/api/overview?days=30`);
  assert.equal(anon.status, 401, anon.text);
  assert.equal(anon.json.error.code, 'unauthenticated');
});

test('GET /api/events pages newest first with the before cursor', async () => {
  const seen = [];
  let before = null;
  for (let page = 0; page < 20; page++) {
    const res = await apiGet(srv, `/api/events?limit=3${before !== null ? `&before=${before}` : ''}`, { cookie });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.events.length <= 3);
    seen.push(...res.json.events);
    if (res.json.next_before === null) break;
    before = res.json.next_before;
  }
  assert.equal(seen.length, 12, 'every stored event (incl. $group, $identify) exactly once');
  assert.equal(new Set(seen.map((e) => e.message_id)).size, 12);
  const times = seen.map((e) => Date.parse(e.timestamp));
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], 'newest first');
  const logins = await apiGet(srv, '/api/events?limit=50&event=login', { cookie });
  assert.equal(logins.json.events.length, 5);
});

test('GET /api/events paging does not skip events that share one timestamp at a page border', async (t) => {
  const s2 = await startServer(t);
  const ts = '2026-07-07T07:07:07.000Z';
  const ids = Array.from({ length: 7 }, (_, i) => uid(`same${i}`));
  const r = await postBatch(s2, ids.map((messageId, i) => ({ type: 'track', userId: `s${i}`, event: 'same_time', messageId, timestamp: ts })));
  assert.equal(r.json.accepted, 7, r.text);
  const seen = [];
  let before = null;
  for (let page = 0; page < 20; page++) {
    const res = await apiGet(s2, `/api/events?limit=3${before !== null ? `&before=${encodeURIComponent(before)}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.events.map((e) => e.message_id));
    if (res.json.next_before === null) break;
    before = res.json.next_before;
  }
  assert.deepEqual([...new Set(seen)].sort(), [...ids].sort(), 'every event once, none skipped');
  assert.equal(seen.length, 7, 'none twice');
});
