// 24. Customer success over HTTP on a fresh server (docs/growth/customer_success.md):
// the renewal calendar (records plus accounts' own renewal dates), the at-risk renewals
// with the health explanation, their exports, playbooks that open tasks (never a second
// open task for the same playbook and account) and account milestones with progress.
//
// The world (now = N, project zone Asia/Shanghai; "day(x)" = the Shanghai calendar day):
//   Acme (group acc-1, owner Li, customer, renewal_date day(N+30), no renewal record)
//     login by u1 and u2 at N−10d (the 7-day window before), by u1 at N−1h (the window)
//     → active people 2 → 1: a 50 % drop.
//   Beta (group acc-2, trial) with renewal record RB day(N+10), upcoming, owner Wu
//     feature_used {feature: reports} by u3 at N−2h → 1 distinct feature in 7 days.
//   Playbooks: P1 active_seats_drop ≥ 50 % over 7 days, owner CSM → Acme only (Beta had
//   nobody before); P2 trial_low_feature_use < 2 over 7 days (no owner) → Beta (1 < 2),
//   its task owned by the account owner, else "unassigned" (Beta has none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, postBatch, apiCall, createRecord } from './harness.mjs';

let srv;
let cookie;
const now = Date.now();
const H = 3600 * 1000;
const D = 24 * H;
const iso = (ms) => new Date(ms).toISOString();
const day = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
const ids = {};
const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body).then((r) => r.id);

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
  ids.A = await create('accounts', { name: 'Acme', group_id: 'acc-1', owner: 'Li', lifecycle_stage: 'customer', renewal_date: day(now + 30 * D), arr: 50000 });
  ids.B = await create('accounts', { name: 'Beta', group_id: 'acc-2', lifecycle_stage: 'trial' });
  ids.RB = await create('renewals', { account_id: ids.B, renewal_date: day(now + 10 * D), arr: 8000, owner: 'Wu' });
  const r = await postBatch(srv, [
    { type: 'group', userId: 'u1', groupId: 'acc-1', traits: { name: 'Acme', owner: 'Li', lifecycle_stage: 'customer', renewal_date: day(now + 30 * D), arr: 50000 }, timestamp: iso(now - 20 * D) },
    { type: 'group', userId: 'u3', groupId: 'acc-2', traits: { name: 'Beta', lifecycle_stage: 'trial' }, timestamp: iso(now - 20 * D) },
    { type: 'track', event: 'login', userId: 'u1', context: { groupId: 'acc-1' }, timestamp: iso(now - 10 * D) },
    { type: 'track', event: 'login', userId: 'u2', context: { groupId: 'acc-1' }, timestamp: iso(now - 10 * D) },
    { type: 'track', event: 'login', userId: 'u1', context: { groupId: 'acc-1' }, timestamp: iso(now - H) },
    { type: 'track', event: 'feature_used', userId: 'u3', properties: { feature: 'reports' }, context: { groupId: 'acc-2' }, timestamp: iso(now - 2 * H) },
  ]);
  assert.equal(r.status, 200, r.text);
});
after(async () => { if (srv) await srv.cleanup(); });

test('renewal calendar: records and account dates by month, with risk; export', async () => {
  const r = await api(`/api/renewals/calendar?from=${day(now)}&to=${day(now + 60 * D)}`);
  assert.equal(r.status, 200, r.text);
  const all = r.json.months.flatMap((m) => m.renewals.map((x) => ({ ...x, month: m.month })));
  assert.deepEqual(all.map((x) => x.account_name), ['Beta', 'Acme']);  // by date: N+10, N+30
  const [beta, acme] = all;
  assert.equal(beta.id, ids.RB);
  assert.equal(beta.from_account, false);
  assert.equal(beta.owner, 'Wu');
  assert.equal(beta.month, day(now + 10 * D).slice(0, 7));
  assert.equal(acme.id, null);
  assert.equal(acme.from_account, true);
  assert.equal(acme.account_id, ids.A);
  assert.equal(acme.arr, 50000);
  assert.equal(acme.status, 'upcoming');
  for (const x of all) {
    assert.equal(typeof x.health_score, 'number');
    assert.ok(['high', 'medium', 'low'].includes(x.risk));
    assert.equal(x.risk, x.health_score < 50 ? 'high' : x.health_score < 70 ? 'medium' : 'low');
  }
  const csv = await api(`/api/renewals/calendar/export?format=csv&from=${day(now)}&to=${day(now + 60 * D)}`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.text, /Acme/);
  assert.match(csv.text, /Beta/);
  const bad = await api('/api/renewals/calendar?from=2026-13-01');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'from');
});

test('at-risk renewals: within days, below the bar, with the health parts; export', async () => {
  // Acme's health row from the analytics, to place the bar exactly at its score.
  const h = await api('/api/query', { method: 'POST', body: { kind: 'health', days: 30, limit: 100 } });
  assert.equal(h.status, 200, h.text);
  const acmeScore = h.json.accounts.find((a) => a.account === 'acc-1').score;
  const at = async (q) => {
    const r = await api(`/api/renewals/at-risk?${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  // days=20: only Beta (N+10) is due. days=30 adds Acme (N+30, today+30 counts).
  const in20 = await at('days=20&below=100');
  assert.deepEqual(in20.renewals.map((x) => x.account_name), ['Beta']);
  const in30 = await at(`days=30&below=${acmeScore + 0.01}`);
  assert.ok(in30.renewals.some((x) => x.account_name === 'Acme'));
  const acme = in30.renewals.find((x) => x.account_name === 'Acme');
  assert.equal(acme.days_left, 30);
  assert.equal(acme.health.score, acmeScore);
  assert.ok(acme.health.parts.activity && acme.health.parts.roles, 'the explanation: the score parts');
  // The bar at exactly Acme's score leaves Acme out (score < below).
  const exact = await at(`days=30&below=${acmeScore}`);
  assert.ok(!exact.renewals.some((x) => x.account_name === 'Acme'));
  assert.deepEqual((await at('days=90&below=0')).renewals, []);
  const xlsx = await api('/api/renewals/at-risk/export?format=xlsx&days=90&below=100');
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const bad = await api('/api/renewals/at-risk?days=0');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'days');
});

test('playbooks open one task per playbook and account', async () => {
  ids.P1 = await create('playbooks', { name: 'Seats dropping', rule: 'active_seats_drop', threshold: 50, window_days: 7, enabled: true, task_title: 'Call about seats', owner: 'CSM' });
  ids.P2 = await create('playbooks', { name: 'Trial not exploring', rule: 'trial_low_feature_use', threshold: 2, window_days: 7, enabled: true });
  const first = await api('/api/playbooks/run', { method: 'POST' });
  assert.equal(first.status, 200, first.text);
  const byId = (answer, id) => answer.runs.find((x) => x.playbook_id === id);
  assert.deepEqual(
    [byId(first.json, ids.P1).matched, byId(first.json, ids.P1).opened, byId(first.json, ids.P1).skipped_open], [1, 1, 0]);
  assert.equal(byId(first.json, ids.P1).matches[0].account_id, ids.A);
  assert.deepEqual(
    [byId(first.json, ids.P2).matched, byId(first.json, ids.P2).opened, byId(first.json, ids.P2).skipped_open], [1, 1, 0]);
  assert.equal(byId(first.json, ids.P2).matches[0].account_id, ids.B);

  const tasks = await api(`/api/tasks?playbook_id=${ids.P1}`);
  assert.equal(tasks.json.total, 1);
  const t = tasks.json.records[0];
  assert.equal(t.title, 'Call about seats');
  assert.equal(t.owner, 'CSM');
  assert.equal(t.account_id, ids.A);
  assert.equal(t.source, 'playbook');
  assert.equal(t.status, 'open');
  assert.equal(t.due_date, day(now + 3 * D));
  assert.match(t.reason, /from 2 .* to 1 .*50 %/);
  const t2 = (await api(`/api/tasks?playbook_id=${ids.P2}`)).json.records[0];
  assert.equal(t2.owner, 'unassigned');
  assert.match(t2.reason, /1 distinct feature/);

  // Again: nothing new (open tasks exist). Only P1 by id: the same.
  const second = await api('/api/playbooks/run', { method: 'POST' });
  assert.equal(byId(second.json, ids.P1).opened, 0);
  assert.equal(byId(second.json, ids.P1).skipped_open, 1);
  assert.equal(byId(second.json, ids.P2).skipped_open, 1);
  const one = await api(`/api/playbooks/run?id=${ids.P1}`, { method: 'POST' });
  assert.equal(one.json.runs.length, 1);
  assert.equal(one.json.runs[0].opened, 0);
  // Once the task is done, the next run opens a new one.
  await api(`/api/tasks/${t.id}`, { method: 'PATCH', body: { status: 'done' } });
  const third = await api(`/api/playbooks/run?id=${ids.P1}`, { method: 'POST' });
  assert.equal(third.json.runs[0].opened, 1);
  assert.equal((await api(`/api/tasks?playbook_id=${ids.P1}`)).json.total, 2);

  assert.equal((await api('/api/playbooks/run?id=999999', { method: 'POST' })).status, 404);
  const token = await apiCall(srv, null, '/api/playbooks/run', { method: 'POST', auth: 'token' });
  assert.ok(token.status === 401 || token.status === 403, `read token must not run playbooks: ${token.status}`);
});

test('playbooks run on a schedule: the server reports its interval and next pass', async () => {
  // tobops serve starts the background jobs (ops/background_jobs.h) with the default
  // interval of 60 minutes; no pass has run yet in a server this young.
  const before = Date.now();
  const r = await api('/api/playbooks/schedule');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.running, true);
  assert.equal(r.json.interval_minutes, 60);
  assert.equal(r.json.last_run_at, null);
  const next = Date.parse(r.json.next_run_at);
  assert.ok(next > before && next <= before + 60 * 60 * 1000, r.text);
  const anonymous = await apiCall(srv, null, '/api/playbooks/schedule');
  assert.equal(anonymous.status, 401);
});

test('account milestones: ordered, with progress', async () => {
  const m2 = await create('milestones', { account_id: ids.A, name: 'Training', position: 2, due_date: day(now - D) });
  const m1 = await create('milestones', { account_id: ids.A, name: 'Kick-off', position: 1, status: 'done', done_on: day(now - 5 * D) });
  const r = await api(`/api/accounts/${ids.A}/milestones`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.milestones.map((m) => m.id), [m1, m2]);
  assert.equal(r.json.progress, 50);
  assert.equal(r.json.done, 1);
  assert.equal(r.json.total, 2);
  assert.equal(r.json.next.id, m2);
  assert.equal(r.json.milestones[1].overdue, true);
  assert.equal((await api('/api/accounts/999999/milestones')).status, 404);
});

test('playbooks also run when the server opens the project after a start', async () => {
  // Neither account has a decision_maker contact: both match once the playbook runs.
  ids.P3 = await create('playbooks', { name: 'No decision maker', rule: 'no_decision_maker_active', window_days: 7, enabled: true, owner: 'CSM' });
  assert.equal((await api(`/api/tasks?playbook_id=${ids.P3}`)).json.total, 0);
  await srv.restart();
  cookie = await login(srv);
  // The first request that needs the project's runtime opens it (and runs playbooks).
  assert.equal((await api('/api/renewals/at-risk')).status, 200);
  const tasks = await api(`/api/tasks?playbook_id=${ids.P3}`);
  assert.deepEqual(tasks.json.records.map((t) => t.account_id).sort((a, b) => a - b), [ids.A, ids.B].sort((a, b) => a - b));
  assert.ok(tasks.json.records.every((t) => t.owner === 'CSM' && t.source === 'playbook'));
});
