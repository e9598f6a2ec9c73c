// 26. Goals and strategies over HTTP: a goal's saved query is checked on create and
// update (field "query"), goal progress on posted events (value, progress %, on_track
// against the elapsed share of the period), its CSV export, a strategy's before/after
// outcome, and the weekly report's "goals" and "at_risk_renewals" sections. Events sit
// at noon UTC, the same local day in every project time zone. Expected numbers are
// worked by hand in the comments. See docs/growth/goals_and_strategies.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, postBatch, poll, uid, apiCall, createRecord } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body);

const id = uid('goal');
const signup = `${id}_signup`;
const purchase = `${id}_purchase`;
const signups = JSON.stringify({ kind: 'trend', series: [{ event: signup }] });
const buyers = JSON.stringify({ kind: 'funnel', steps: [{ event: signup }, { event: purchase }], window: '7d' });

test('a goal with a bad query is refused naming "query"', async () => {
  for (const query of ['{not json', JSON.stringify({ kind: 'nope' }), JSON.stringify({ kind: 'trend' })]) {
    const r = await api('/api/goals', { method: 'POST', body: { name: 'bad', target: 1, query } });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.error.field, 'query', r.text);
  }
  const ok = await create('goals', { name: `${id}-edit`, target: 1, query: signups });
  const patched = await api(`/api/goals/${ok.id}`, { method: 'PATCH', body: { query: JSON.stringify({ kind: 'funnel', steps: [] }) } });
  assert.equal(patched.status, 400, patched.text);
  assert.equal(patched.json.error.field, 'query');
  await api(`/api/goals/${ok.id}`, { method: 'DELETE' });
});

test('progress, strategy outcome and the weekly report sections', async () => {
  const u = (n) => `${id}-u${n}`;
  const account = `${id}-acc`;
  const at = (day, hour = 12) => `${day}T${String(hour).padStart(2, '0')}:00:00Z`;
  const batch = [
    { type: 'track', userId: u(1), event: signup, timestamp: at('2025-02-28') },
    { type: 'track', userId: u(2), event: signup, timestamp: at('2025-03-03') },
    { type: 'track', userId: u(4), event: signup, timestamp: at('2025-03-05') },
    { type: 'track', userId: u(3), event: signup, timestamp: at('2025-03-10') },
    { type: 'track', userId: u(3), event: purchase, timestamp: at('2025-03-10', 13) },
    { type: 'track', userId: u(5), event: signup, timestamp: at('2025-03-11') },
    // an account that only ever made a $group call: health 0
    { type: 'group', userId: u(9), groupId: account, traits: { name: 'Quiet Co' }, timestamp: at('2025-03-01') },
  ];
  const posted = await postBatch(srv, batch);
  assert.equal(posted.status, 200, posted.text);

  const month = await create('goals', { name: `${id}-signups`, metric: 'signups', target: 10, period: 'month', query: signups });
  const week = await create('goals', { name: `${id}-buyers`, target: 7, period: 'week', query: buyers });

  // At 10 Mar 2025: the month goal covers 1 – 31 Mar, measured 1 – 10 Mar: the signups of
  // 3, 5 and 10 Mar = 3 (28 Feb is February, 11 Mar is after). Elapsed 10 / 31; expected
  // 10 × 10 / 31 = 3.2258… → 3.23; progress 3 / 10 = 30 %; 3 < 3.23: not on track.
  // The week goal (Mon 10 – Sun 16 Mar) on its first day: u3 signed up and bought on
  // 10 Mar = 1; expected 7 × 1 / 7 = 1: on track; progress 1 / 7 = 14.3 %.
  const p = await poll(async () => {
    const res = await api('/api/goals/progress?at=2025-03-10', { auth: 'token' });
    assert.equal(res.status, 200, res.text);
    const g = res.json.goals.find((x) => x.goal_id === month.id);
    return g && g.value === 3 ? res.json : null;
  });
  const m = p.goals.find((x) => x.goal_id === month.id);
  assert.equal(m.from, '2025-03-01');
  assert.equal(m.to, '2025-03-31');
  assert.equal(m.days, 31);
  assert.equal(m.elapsed_days, 10);
  assert.equal(m.expected, 3.23);
  assert.equal(m.progress, 30);
  assert.equal(m.on_track, false);
  assert.equal(m.error, null);
  const w = p.goals.find((x) => x.goal_id === week.id);
  assert.equal(w.from, '2025-03-10');
  assert.equal(w.to, '2025-03-16');
  assert.equal(w.value, 1);
  assert.equal(w.expected, 1);
  assert.equal(w.on_track, true);
  assert.equal(w.progress, 14.3);

  const bad = await api('/api/goals/progress?at=yesterday');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'at');

  const csv = await api('/api/goals/progress/export?format=csv&at=2025-03-10');
  assert.equal(csv.status, 200, csv.text);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'goal_id,name,metric,owner,period,from,to,status,value,target,progress,expected,on_track,error');
  assert.ok(lines.some((l) => l.startsWith(`${month.id},${id}-signups,signups,,month,2025-03-01,2025-03-31,active,3,10,30,3.23,no,`)), csv.text);

  // Strategy 3 – 9 Mar (7 days): during = the signups of 3 and 5 Mar = 2; before =
  // 24 Feb – 2 Mar = the one of 28 Feb = 1 → change +1, +100 %.
  const strategy = await create('strategies', { name: `${id}-push`, goal_id: month.id, starts_on: '2025-03-03', ends_on: '2025-03-09' });
  const o = await api(`/api/strategies/${strategy.id}/outcome`, { auth: 'token' });
  assert.equal(o.status, 200, o.text);
  assert.deepEqual(o.json.before, { from: '2025-02-24', to: '2025-03-02', days: 7, value: 1 });
  assert.deepEqual(o.json.during, { from: '2025-03-03', to: '2025-03-09', days: 7, value: 2 });
  assert.equal(o.json.change, 1);
  assert.equal(o.json.change_pct, 100);
  assert.equal(o.json.metric, 'signups');
  const orphan = await create('strategies', { name: `${id}-orphan`, starts_on: '2025-03-03' });
  const refused = await api(`/api/strategies/${orphan.id}/outcome`);
  assert.equal(refused.status, 412, refused.text);
  assert.equal(refused.json.error.field, 'goal_id');
  assert.equal((await api('/api/strategies/999999/outcome')).status, 404);

  // Weekly report of 2025-W11 (Mon 10 – Sun 16 Mar), as of Sunday's end: the month goal
  // now counts 3, 5, 10 and 11 Mar = 4; the week goal 1. The renewal of Quiet Co on
  // 1 Apr is within 90 days of 16 Mar and its health is 0 (< 50): at risk; its renewal
  // of 1 Jul 2025 (107 days later) is not.
  // The group call made the account record (record sync keys it by group_id).
  const quiet = await poll(async () => {
    const res = await api(`/api/accounts?group_id=${encodeURIComponent(account)}`);
    return res.json.records?.[0] ?? null;
  });
  assert.equal(quiet.name, 'Quiet Co');
  await create('renewals', { account_id: quiet.id, renewal_date: '2025-04-01', arr: 12000, status: 'upcoming' });
  await create('renewals', { account_id: quiet.id, renewal_date: '2025-07-01', arr: 12000, status: 'upcoming' });
  const r = await api('/api/reports/weekly?week=2025-W11', { auth: 'token' });
  assert.equal(r.status, 200, r.text);
  assert.ok(Array.isArray(r.json.metrics) && Array.isArray(r.json.at_risk), 'existing members kept');
  const goalValue = (gid) => r.json.goals.find((g) => g.goal_id === gid)?.value;
  assert.equal(goalValue(month.id), 4);
  assert.equal(goalValue(week.id), 1);
  assert.deepEqual(r.json.at_risk_renewals.map((x) => [x.account_name, x.renewal_date, x.arr, x.score]),
    [['Quiet Co', '2025-04-01', 12000, 0]]);
  const exported = await api('/api/reports/weekly/export?format=csv&week=2025-W11');
  assert.equal(exported.status, 200);
  assert.ok(exported.text.includes(`goal,goal,${id}-signups,4,10,0.4`), exported.text.slice(-600));
  assert.ok(exported.text.includes('at_risk_renewal,account,Quiet Co,0,12000,2025-04-01'), exported.text.slice(-600));
});
