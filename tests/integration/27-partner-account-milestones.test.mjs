// 27. Partners belong to accounts, and points and milestones are on the account's one
// timeline (docs/growth/partners.md "The partner's account and the timeline",
// docs/growth/customer_success.md "Milestones", docs/sales/views.md overview):
// partners.account_id (checked reference), one partner_points_recorded event per
// points entry of a linked partner (a replay adds none, an unlinked partner writes
// none), milestones with overdue and progress in GET /api/accounts/ID/overview, and
// milestone_done in the timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, apiCall, uid, createRecord } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body);

async function timeline(accountId) {
  const r = await api(`/api/accounts/${accountId}/timeline?limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

const points = (id, body) => api(`/api/partners/${id}/points`, { method: 'POST', body });

test('a partner names an account; a bad reference is refused naming account_id', async () => {
  const account = await create('accounts', { name: uid('伙伴公司'), group_id: uid('g-partner') });
  const partner = await create('partners', { name: uid('伙伴'), kind: 'reseller', account_id: account.id });
  assert.equal(partner.account_id, account.id);
  assert.equal(partner.account_name, account.name);

  const bad = await api('/api/partners', { method: 'POST', body: { name: uid('坏伙伴'), account_id: 999999 } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'account_id');
  const badPatch = await api(`/api/partners/${partner.id}`, { method: 'PATCH', body: { account_id: 999999 } });
  assert.equal(badPatch.status, 400, badPatch.text);
  assert.equal(badPatch.json.error.field, 'account_id');

  // Unlinking is allowed (the field is optional).
  const cleared = await api(`/api/partners/${partner.id}`, { method: 'PATCH', body: { account_id: null } });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.record.account_id, null);
});

test('each points entry of a linked partner is one event on its account; replays add none', async () => {
  const group = uid('g-reseller');
  const account = await create('accounts', { name: uid('经销商公司'), group_id: group });
  const partnerName = uid('经销伙伴');
  const partner = await create('partners', { name: partnerName, kind: 'reseller', account_id: account.id });
  const other = await create('partners', { name: uid('无客户伙伴'), kind: 'supplier' });

  const k1 = uid('k1');
  const k2 = uid('k2');
  const first = await points(partner.id, { kind: 'presales', points: 80, reason: '售前支持', idempotency_key: k1 });
  assert.equal(first.status, 201, first.text);
  const replay = await points(partner.id, { kind: 'presales', points: 80, reason: '售前支持', idempotency_key: k1 });
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.replayed, true);
  const redeem = await points(partner.id, { kind: 'redemption', points: 30, idempotency_key: k2 });
  assert.equal(redeem.status, 201, redeem.text);
  const replay2 = await points(partner.id, { kind: 'redemption', points: 30, idempotency_key: k2 });
  assert.equal(replay2.status, 200, replay2.text);
  // The unlinked partner's entry writes no event anywhere.
  const unlinked = await points(other.id, { kind: 'reward', points: 10, idempotency_key: uid('k3') });
  assert.equal(unlinked.status, 201, unlinked.text);

  // 2 entries (k1, k2), each posted twice → exactly 2 events, on this account.
  const items = (await timeline(account.id)).filter((it) => it.event === 'partner_points_recorded');
  assert.equal(items.length, 2, `one event per entry (POST /api/partners/ID/points must drain the timeline outbox after the write, as the record routes do): ${JSON.stringify(items)}`);
  const byKey = Object.fromEntries(items.map((it) => [it.properties.idempotency_key, it]));
  assert.deepEqual(Object.keys(byKey).sort(), [k1, k2].sort());
  const p1 = byKey[k1].properties;
  assert.equal(p1.partner_id, partner.id);
  assert.equal(p1.partner_name, partnerName);
  assert.equal(p1.kind, 'presales');
  assert.equal(p1.points, 80);
  assert.equal(p1.reason, '售前支持');
  assert.equal(p1.record_type, 'point_entries');
  assert.equal(p1.record_id, first.json.entry.id);
  assert.deepEqual(byKey[k1].record, { type: 'point_entries', id: first.json.entry.id });
  assert.equal(byKey[k2].properties.kind, 'redemption');
  assert.equal(byKey[k2].properties.points, -30);
  // No reason: the store keeps no null properties.
  assert.equal(byKey[k2].properties.reason ?? null, null);
  // No person: the account's own event.
  assert.equal(byKey[k1].contact_id ?? null, null);

  // The generic record route writes the same event (a ledger entry by any path).
  const generic = await api('/api/point_entries', {
    method: 'POST', body: { partner_id: partner.id, kind: 'quote', points: 20, idempotency_key: uid('k4') },
  });
  assert.equal(generic.status, 201, generic.text);
  const after = (await timeline(account.id)).filter((it) => it.event === 'partner_points_recorded');
  assert.equal(after.length, 3);
});

test('milestones on the account overview, with overdue, progress and milestone_done', async () => {
  const account = await create('accounts', { name: uid('实施客户'), group_id: uid('g-onboard') });
  // Created out of order. Dates far from today so the project zone cannot matter:
  //   m3 position 3 due 2020-01-10 pending → overdue; m1 position 1 done → not overdue;
  //   m2 position 2 due 2099-12-31 in_progress → not overdue.
  // Position order m1, m2, m3; done 1 of 3 → progress 33.3; next = m2.
  const m3 = await create('milestones', { account_id: account.id, name: '首次业务复盘', position: 3, due_date: '2020-01-10', owner: '韩梅' });
  const m1 = await create('milestones', { account_id: account.id, name: '合同签署', position: 1, due_date: '2020-01-01', done_on: '2020-01-01', status: 'done', owner: '韩梅' });
  const m2 = await create('milestones', { account_id: account.id, name: '数据接入完成', position: 2, due_date: '2099-12-31', status: 'in_progress' });

  let ov = await api(`/api/accounts/${account.id}/overview`);
  assert.equal(ov.status, 200, ov.text);
  assert.deepEqual(ov.json.milestones.map((m) => m.id), [m1.id, m2.id, m3.id]);
  assert.deepEqual(ov.json.milestones.map((m) => m.overdue), [false, false, true]);
  assert.equal(ov.json.milestones[0].done_on, '2020-01-01');
  assert.equal(ov.json.milestones[0].owner, '韩梅');
  assert.equal(ov.json.milestones[2].due_date, '2020-01-10');
  assert.equal(ov.json.milestone_progress.done, 1);
  assert.equal(ov.json.milestone_progress.total, 3);
  assert.equal(ov.json.milestone_progress.progress, 33.3);
  assert.equal(ov.json.milestone_progress.next.id, m2.id);

  // m1 was created done: one milestone_done already.
  let done = (await timeline(account.id)).filter((it) => it.event === 'milestone_done');
  assert.equal(done.length, 1);
  assert.equal(done[0].properties.milestone_id, m1.id);

  // m3 becomes done → a second event; not overdue any more; next stays m2.
  const patched = await api(`/api/milestones/${m3.id}`, { method: 'PATCH', body: { status: 'done', done_on: '2020-01-12' } });
  assert.equal(patched.status, 200, patched.text);
  // Editing a done milestone writes nothing more.
  const noted = await api(`/api/milestones/${m3.id}`, { method: 'PATCH', body: { notes: '客户确认' } });
  assert.equal(noted.status, 200, noted.text);
  done = (await timeline(account.id)).filter((it) => it.event === 'milestone_done');
  assert.equal(done.length, 2, JSON.stringify(done));
  const ev = done.find((it) => it.properties.milestone_id === m3.id);
  assert.ok(ev, JSON.stringify(done));
  assert.equal(ev.properties.name, '首次业务复盘');
  assert.equal(ev.properties.position, 3);
  assert.deepEqual(ev.record, { type: 'milestones', id: m3.id });

  ov = await api(`/api/accounts/${account.id}/overview`);
  assert.deepEqual(ov.json.milestones.map((m) => m.overdue), [false, false, false]);
  assert.equal(ov.json.milestone_progress.done, 2);
  assert.equal(ov.json.milestone_progress.progress, 66.7);
  assert.equal(ov.json.milestone_progress.next.id, m2.id);

  // The milestones endpoint agrees with the overview.
  const ms = await api(`/api/accounts/${account.id}/milestones`);
  assert.equal(ms.status, 200, ms.text);
  assert.deepEqual(ms.json.milestones.map((m) => [m.id, m.overdue]), ov.json.milestones.map((m) => [m.id, m.overdue]));

  // An account without milestones: empty list, zero progress, no next.
  const bare = await create('accounts', { name: uid('新客户') });
  const ovBare = await api(`/api/accounts/${bare.id}/overview`);
  assert.equal(ovBare.status, 200, ovBare.text);
  assert.deepEqual(ovBare.json.milestones, []);
  assert.deepEqual(ovBare.json.milestone_progress, { done: 0, total: 0, progress: 0, next: null });
});
