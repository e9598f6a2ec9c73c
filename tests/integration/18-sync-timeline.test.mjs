// 18. Records kept up to date from identify / group calls, and record changes written
// as timeline events: identify + group over /v1/batch become contacts and an account;
// a hand edit survives a later group call until it is released; an opportunity moved
// through stages and a held visit become events of the right account and person, which
// a trend, the events API and a funnel all see. docs/sales/sync_and_timeline.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, postBatch, query, apiGet, uid, apiCall } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const DAY = 24 * 3600 * 1000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
// Four days ago at 02:00 UTC: the visit, so the timeline has history before today.
const HELD_AT = new Date(Math.floor((Date.now() - 4 * DAY) / DAY) * DAY + 2 * 3600 * 1000).toISOString();
const RANGE = { from: isoDay(Date.now() - 7 * DAY), to: isoDay(Date.now() + DAY) };

const identify = (userId, traits, groupId) => ({
  type: 'identify', userId, traits, messageId: uid('id'),
  ...(groupId ? { context: { groupId } } : {}),
});
const group = (userId, groupId, traits) => ({ type: 'group', userId, groupId, traits, messageId: uid('grp') });

let accountId;
let liId;
let wangId;

test('identify and group calls become contacts and an account', async () => {
  const r = await postBatch(srv, [
    identify('u-li', { name: '李雷', email: 'li@acme.cn', title: 'CTO', role: 'decision_maker' }),
    group('u-li', 'acme',
      { name: 'Acme 制造', industry: '制造业', arr: 360000, seats: 50, region: '华东', tier: 'gold' }),
    identify('u-wang', { name: '王芳', email: 'wang@acme.cn', role: 'evaluator' }, 'acme'),
    // seats is not a number: only that field is skipped.
    group('u-zhao', 'beta', { name: 'Beta 软件', seats: 'many', industry: 'saas' }),
  ]);
  assert.equal(r.status, 200, r.text);

  // The sync runs before /v1/batch answers: no polling needed.
  const accounts = await api('/api/accounts?group_id=acme');
  assert.equal(accounts.status, 200, accounts.text);
  assert.equal(accounts.json.total, 1);
  const acme = accounts.json.records[0];
  assert.equal(acme.name, 'Acme 制造');
  assert.equal(acme.industry, '制造业');
  assert.equal(acme.arr, 360000);
  assert.equal(acme.seats, 50);
  assert.equal(acme.region, '华东');
  assert.equal(acme.traits.tier, 'gold');
  assert.deepEqual(acme.manual_fields, []);
  accountId = acme.id;

  const beta = (await api('/api/accounts?group_id=beta')).json.records[0];
  assert.equal(beta.name, 'Beta 软件');
  assert.equal(beta.industry, 'saas');
  assert.equal(beta.seats, null);

  const contacts = await api(`/api/contacts?account_id=${accountId}&sort=name&order=asc`);
  assert.equal(contacts.status, 200, contacts.text);
  // u-li joined acme through the group call, u-wang through context.groupId; u-zhao
  // has no traits of their own but an account, so is a contact of beta.
  assert.deepEqual(contacts.json.records.map((c) => [c.person_id, c.name, c.role, c.account_name]).sort(),
    [['u-li', '李雷', 'decision_maker', 'Acme 制造'], ['u-wang', '王芳', 'evaluator', 'Acme 制造']]);
  liId = contacts.json.records.find((c) => c.person_id === 'u-li').id;
  wangId = contacts.json.records.find((c) => c.person_id === 'u-wang').id;
  const zhao = await api('/api/contacts?person_id=u-zhao');
  assert.equal(zhao.json.records[0].account_name, 'Beta 软件');
});

test('a hand edit survives later traits until it is released', async () => {
  const patched = await api(`/api/accounts/${accountId}`, { method: 'PATCH', body: { industry: '能源' } });
  assert.equal(patched.status, 200, patched.text);
  assert.deepEqual(patched.json.record.manual_fields, ['industry']);

  const r = await postBatch(srv, [group('u-li', 'acme', { industry: '零售', arr: 420000 })]);
  assert.equal(r.status, 200, r.text);
  const after1 = (await api(`/api/accounts/${accountId}`)).json.record;
  assert.equal(after1.industry, '能源', 'the manual value stays');
  assert.equal(after1.arr, 420000, 'other traits still follow');

  const bad = await api(`/api/accounts/${accountId}/release`, { method: 'POST', body: { fields: ['colour'] } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'fields');
  const missing = await api('/api/accounts/999999/release', { method: 'POST', body: {} });
  assert.equal(missing.status, 404, missing.text);
  const token = await request(`${srv.url}/api/accounts/${accountId}/release`,
    { method: 'POST', headers: { Authorization: `Bearer ${srv.readToken}` }, body: '{}' });
  assert.equal(token.status, 403, 'a read token cannot release');

  const released = await api(`/api/accounts/${accountId}/release`, { method: 'POST', body: { fields: ['industry'] } });
  assert.equal(released.status, 200, released.text);
  assert.equal(released.json.record.industry, '零售', 'the current trait is back');
  assert.deepEqual(released.json.record.manual_fields, []);

  // Contacts too: an edited title comes back from traits on release (all fields).
  await api(`/api/contacts/${liId}`, { method: 'PATCH', body: { title: '技术总监' } });
  const contact = await api(`/api/contacts/${liId}/release`, { method: 'POST' });
  assert.equal(contact.status, 200, contact.text);
  assert.equal(contact.json.record.title, 'CTO');
});

test('opportunity stages and a held visit become events of the account and person', async () => {
  const opp = await api('/api/opportunities', {
    method: 'POST',
    body: { account_id: accountId, name: 'Acme 2027 扩容', stage: 'lead', amount: 500000, primary_contact_id: liId },
  });
  assert.equal(opp.status, 201, opp.text);
  const oppId = opp.json.record.id;
  const moved = await api(`/api/opportunities/${oppId}`, { method: 'PATCH', body: { stage: 'solution' } });
  assert.equal(moved.status, 200, moved.text);
  const visit = await api('/api/visits', {
    method: 'POST',
    body: {
      account_id: accountId, opportunity_id: oppId, kind: 'demo', title: 'Acme 演示', held_at: HELD_AT,
      status: 'held', stage: 'solution', actions: ['demo'],
      attendees: [
        { contact_id: liId, name: '李雷', role: 'decision_maker', side: 'customer' },
        { contact_id: wangId, name: '王芳', role: 'evaluator', side: 'customer' },
        { name: '我方售前', role: 'presales', side: 'ours' },
      ],
    },
  });
  assert.equal(visit.status, 201, visit.text);

  // The write answered: its events are stored (no polling).
  const changed = await query(srv, {
    kind: 'trend', series: [{ event: 'opportunity_stage_changed', measure: 'events' }],
    interval: 'day', range: RANGE, timezone: 'UTC',
    breakdown: { source: 'event', property: 'to_stage' },
  });
  assert.deepEqual(changed.series.map((s) => [s.breakdown_value, s.total]), [['solution', 1]]);
  const byIndustry = await query(srv, {
    kind: 'trend', series: [{ event: 'opportunity_stage_changed', measure: 'accounts' }],
    interval: 'day', range: RANGE, timezone: 'UTC', breakdown: { source: 'account', property: 'industry' },
  });
  assert.deepEqual(byIndustry.series.map((s) => [s.breakdown_value, s.total]), [['零售', 1]]);

  const stageEvents = await apiGet(srv, '/api/events?event=opportunity_stage_changed');
  assert.equal(stageEvents.status, 200, stageEvents.text);
  assert.equal(stageEvents.json.events.length, 1);
  const e = stageEvents.json.events[0];
  assert.equal(e.person, 'u-li');
  assert.equal(e.account, 'acme');
  assert.equal(e.properties.from_stage, 'lead');
  assert.equal(e.properties.to_stage, 'solution');
  assert.equal(e.properties.outcome, 'open');
  assert.equal(e.properties.amount, 500000);
  assert.equal(e.properties.record_type, 'opportunities');
  assert.equal(e.properties.record_id, oppId);
  assert.equal(e.properties.$source, 'records');

  const visits = await apiGet(srv, '/api/events?event=visit_held');
  assert.deepEqual(visits.json.events.map((v) => [v.person, v.account, v.properties.attendee_role]).sort(),
    [['u-li', 'acme', 'decision_maker'], ['u-wang', 'acme', 'evaluator']]);
  assert.equal(new Date(visits.json.events[0].timestamp).toISOString(), HELD_AT, 'a visit happens at held_at');

  // One funnel from the visit to the stage move: by person, both attendees saw the
  // demo and Li (the primary contact) moved the deal; by account, Acme went through.
  const funnel = (aggregate_by) => query(srv, {
    kind: 'funnel', aggregate_by, window: '30d', range: RANGE, timezone: 'UTC',
    steps: [{ event: 'visit_held' }, { event: 'opportunity_created' }, { event: 'opportunity_stage_changed' }],
  });
  assert.deepEqual((await funnel('person')).steps.map((s) => s.count), [2, 1, 1]);
  assert.deepEqual((await funnel('account')).steps.map((s) => s.count), [1, 1, 1]);
});

test('record events survive a restart and are not written twice', async () => {
  await srv.restart();
  cookie = await login(srv);
  const a = await query(srv, {
    kind: 'trend',
    series: [{ event: 'visit_held', measure: 'events' }, { event: 'opportunity_created', measure: 'events' }],
    interval: 'day', range: RANGE, timezone: 'UTC',
  });
  assert.deepEqual(a.series.map((s) => s.total), [2, 1]);
  // Contacts and accounts are reconciled on start, without changes or duplicates.
  const contacts = await api('/api/contacts?person_id=u-li');
  assert.equal(contacts.json.total, 1);
  assert.equal(contacts.json.records[0].title, 'CTO');
});
