// 20. The pipeline and the reports over HTTP: the default stages and the stage
// validation error, the board after a PATCH moves a card (and a used stage that cannot
// be deleted), the forecast and its CSV export read back, the feedback backlog order,
// and the weekly report on posted events. Expected numbers are worked by hand in the
// comments. See docs/sales/pipeline_and_reports.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, login, request, postBatch, poll, uid, apiCall, createRecord } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body);

const column = (board, key) => board.stages.find((s) => s.key === key);

test('default stages exist and an unknown stage is refused naming the keys', async () => {
  const stages = await api('/api/pipeline_stages');
  assert.equal(stages.status, 200, stages.text);
  assert.deepEqual(stages.json.records.map((s) => [s.key, s.probability, s.outcome]), [
    ['lead', 10, 'open'], ['qualified', 25, 'open'], ['solution', 50, 'open'],
    ['negotiation', 75, 'open'], ['won', 100, 'won'], ['lost', 0, 'lost'],
  ]);
  const acc = await create('accounts', { name: 'Stage Check Co' });
  const bad = await api('/api/opportunities', { method: 'POST', body: { account_id: acc.id, name: 'x', stage: 'closing' } });
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.json.error.field, 'stage');
  assert.ok(bad.json.error.message.includes('lead, qualified, solution, negotiation, won, lost'), bad.json.error.message);
});

test('the board moves a card on PATCH; a used stage cannot be deleted', async () => {
  const acc = await create('accounts', { name: '看板客户' });
  const a = await create('opportunities', { account_id: acc.id, name: 'board-a', stage: 'lead', amount: 1000, owner: 'board-owner', expected_close: '2031-03-10' });
  await create('opportunities', { account_id: acc.id, name: 'board-b', stage: 'lead', amount: 500, owner: 'board-owner', expected_close: '2031-04-01' });

  let board = (await api('/api/pipeline/board?owner=board-owner', { auth: 'token' })).json;
  assert.deepEqual(board.stages.map((s) => s.key), ['lead', 'qualified', 'solution', 'negotiation', 'won', 'lost']);
  // lead: 1000 + 500 = 1500; weighted 10% of it = 150
  assert.equal(column(board, 'lead').count, 2);
  assert.equal(column(board, 'lead').amount, 1500);
  assert.equal(column(board, 'lead').weighted_amount, 150);

  const bad = await api(`/api/opportunities/${a.id}`, { method: 'PATCH', body: { stage: 'nowhere' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'stage');
  const moved = await api(`/api/opportunities/${a.id}`, { method: 'PATCH', body: { stage: 'negotiation' } });
  assert.equal(moved.status, 200, moved.text);

  board = (await api('/api/pipeline/board?owner=board-owner')).json;
  // lead keeps board-b (500, weighted 50); negotiation gets board-a (1000 × 75% = 750)
  assert.equal(column(board, 'lead').count, 1);
  assert.equal(column(board, 'lead').weighted_amount, 50);
  const negotiation = column(board, 'negotiation');
  assert.equal(negotiation.count, 1);
  assert.equal(negotiation.weighted_amount, 750);
  assert.equal(negotiation.opportunities[0].name, 'board-a');
  assert.equal(negotiation.opportunities[0].account_name, '看板客户');
  // q narrows by name
  const q = (await api('/api/pipeline/board?q=board-b')).json;
  assert.equal(q.stages.reduce((n, s) => n + s.count, 0), 1);

  const stage = (await api('/api/pipeline_stages?key=negotiation')).json.records[0];
  const refused = await api(`/api/pipeline_stages/${stage.id}`, { method: 'DELETE' });
  assert.equal(refused.status, 412, refused.text);
  assert.ok(refused.json.error.message.includes('used by 1 opportunity'), refused.json.error.message);
});

test('the forecast by stage and month, exported as CSV and XLSX', async () => {
  const acc = await create('accounts', { name: 'Forecast Co' });
  await create('opportunities', { account_id: acc.id, name: 'fc-1', stage: 'solution', amount: 2000, owner: 'fc', expected_close: '2032-06-05' });
  await create('opportunities', { account_id: acc.id, name: 'fc-2', stage: 'qualified', amount: 400, owner: 'fc', expected_close: '2032-06-20' });
  await create('opportunities', { account_id: acc.id, name: 'fc-3', stage: 'won', amount: 9000, owner: 'fc', expected_close: '2032-05-01' });
  await create('opportunities', { account_id: acc.id, name: 'fc-4', stage: 'lost', amount: 100, owner: 'fc' });

  const f = (await api('/api/pipeline/forecast?owner=fc')).json;
  // open: 2000 + 400 = 2400; weighted 2000·50% + 400·25% = 1000 + 100 = 1100
  assert.deepEqual(f.totals, { open_amount: 2400, weighted_amount: 1100, won_amount: 9000, lost_amount: 100 });
  // June 2032 holds both open ones; won/lost are not forecast
  assert.deepEqual(f.by_month, [{ month: '2032-06', count: 2, amount: 2400, weighted_amount: 1100 }]);
  assert.deepEqual(f.by_stage.find((s) => s.key === 'qualified'),
    { key: 'qualified', label: 'qualified', probability: 25, outcome: 'open', count: 1, amount: 400, weighted_amount: 100 });

  const csv = await api('/api/pipeline/forecast/export?format=csv&owner=fc');
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-disposition'), /tobops-forecast\.csv/);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'group,key,count,amount,weighted_amount');
  assert.ok(lines.includes('month,2032-06,2,2400,1100'), lines.join('\n'));
  assert.ok(lines.includes('total,open,,2400,1100'), lines.join('\n'));
  assert.ok(lines.includes('stage,won,1,9000,9000'), lines.join('\n'));

  const xlsx = await fetch(`${srv.url}/api/pipeline/forecast/export?format=xlsx&owner=fc`, { headers: { Cookie: cookie } });
  assert.equal(xlsx.status, 200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()));
  const sheet = book.worksheets[0];
  assert.equal(sheet.getRow(1).getCell(1).value, 'group');
  assert.equal(sheet.rowCount, 1 + 6 + 1 + 3);  // header, six stages, one month, three totals

  const badFormat = await api('/api/pipeline/forecast/export?format=pdf');
  assert.equal(badFormat.status, 400);
  assert.equal(badFormat.json.error.field, 'format');
});

test('the feedback backlog is ordered by the ARR behind each item', async () => {
  const big = await create('accounts', { name: 'Big ARR', arr: 500000 });
  const mid = await create('accounts', { name: 'Mid ARR', arr: 120000 });
  const none = await create('accounts', { name: 'No ARR' });
  const sso = await create('feedback', { title: 'SSO', account_ids: [mid.id, none.id], status: 'planned' });       // 120000, 2 accounts
  const audit = await create('feedback', { title: 'Audit log', account_ids: [big.id] });                        // 500000
  const api2 = await create('feedback', { title: 'Open API', account_ids: [mid.id] });                          // 120000, 1 account
  const both = await create('feedback', { title: 'Dashboards', account_ids: [big.id, mid.id, big.id] });        // 620000 (big once)

  const r = await api('/api/feedback/backlog', { auth: 'token' });
  assert.equal(r.status, 200, r.text);
  // 620000, 500000, then the two 120000 items: more accounts first
  assert.deepEqual(r.json.items.map((i) => i.id), [both.id, audit.id, sso.id, api2.id]);
  assert.deepEqual(r.json.items.map((i) => i.arr_behind), [620000, 500000, 120000, 120000]);
  assert.deepEqual(r.json.items[0].accounts.map((a) => a.name), ['Big ARR', 'Mid ARR']);
  assert.equal(r.json.items[2].accounts[1].arr, null);

  const planned = await api('/api/feedback/backlog?status=planned');
  assert.deepEqual(planned.json.items.map((i) => i.id), [sso.id]);
  const bad = await api('/api/feedback/backlog?status=soon');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'status');

  const csv = await api('/api/feedback/backlog/export?format=csv');
  assert.equal(csv.status, 200);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.ok(lines[0].endsWith('account_names,accounts,arr_behind,weight'), lines[0]);
  assert.ok(lines[1].includes('Dashboards') && lines[1].endsWith(',2,620000,620000'), lines[1]);
});

test('the weekly report counts posted events week over week', async () => {
  // ISO 2025-W40 is Mon 29 Sep – Sun 5 Oct 2025; W39 the week before. Events sit at
  // noon UTC mid-week, which is the same local day in every project time zone.
  const id = uid('wk');
  const who = (n) => `${id}-u${n}`;
  const acc = (n) => `${id}-acc${n}`;
  const batch = [
    { type: 'identify', userId: who(1), traits: { role: 'evaluator' }, timestamp: '2025-09-24T12:00:00Z' },
    { type: 'group', userId: who(1), groupId: acc(1), traits: { name: 'Week One', owner: 'zhang', industry: 'edu' }, timestamp: '2025-09-24T12:00:00Z' },
    { type: 'track', userId: who(1), event: 'trial_started', timestamp: '2025-09-25T12:00:00Z' },
    { type: 'identify', userId: who(2), traits: { role: 'decision_maker' }, timestamp: '2025-10-01T12:00:00Z' },
    { type: 'group', userId: who(2), groupId: acc(2), traits: { name: 'Week Two', owner: 'zhang', industry: 'edu' }, timestamp: '2025-10-01T12:00:00Z' },
    { type: 'track', userId: who(2), event: 'trial_started', timestamp: '2025-10-01T12:00:00Z' },
    { type: 'track', userId: who(1), event: 'trial_started', timestamp: '2025-10-02T12:00:00Z' },
    { type: 'track', userId: who(2), event: 'opportunity_created', properties: { record_id: 9001, amount: 700 }, timestamp: '2025-10-01T12:00:00Z' },
    { type: 'track', userId: who(2), event: 'opportunity_stage_changed', properties: { record_id: 9001, amount: 700, to_stage: 'solution' }, timestamp: '2025-10-02T12:00:00Z' },
    { type: 'track', userId: who(2), event: 'opportunity_stage_changed', properties: { record_id: 9001, amount: 800, to_stage: 'won' }, timestamp: '2025-10-03T12:00:00Z' },
    { type: 'track', userId: who(2), event: 'deal_won', properties: { record_id: 9001, amount: 800 }, timestamp: '2025-10-03T12:00:00Z' },
  ];
  const posted = await postBatch(srv, batch);
  assert.equal(posted.status, 200, posted.text);

  const r = await poll(async () => {
    const res = await api('/api/reports/weekly?week=2025-W40&at_risk_below=0', { auth: 'token' });
    assert.equal(res.status, 200, res.text);
    const trials = res.json.metrics.find((m) => m.key === 'trials');
    return trials.this_week === 2 ? res.json : null;
  });
  assert.equal(r.week, '2025-W40');
  assert.equal(r.previous.week, '2025-W39');
  const m = Object.fromEntries(r.metrics.map((x) => [x.key, [x.this_week, x.last_week, x.change]]));
  // new accounts: acc2 this week, acc1 last week; trials: acc1 and acc2 this week, acc1
  // last week; one opportunity created; two moves (solution, won) of opportunity 9001,
  // moved amount = its latest amount 800; one deal won for 800; at_risk_below=0 → none.
  assert.deepEqual(m.new_accounts, [1, 1, 0]);
  assert.deepEqual(m.trials, [2, 1, 1]);
  assert.deepEqual(m.opportunities_created, [1, 0, null]);
  assert.deepEqual(m.stage_conversions, [2, 0, null]);
  assert.deepEqual(m.pipeline_moved_amount, [800, 0, null]);
  assert.deepEqual(m.deals_won, [1, 0, null]);
  assert.deepEqual(m.won_amount, [800, 0, null]);
  assert.deepEqual(m.at_risk_accounts, [0, 0, null]);

  const zhang = r.by_owner.find((o) => o.owner === 'zhang');
  assert.deepEqual(zhang.metrics.trials, { this_week: 2, last_week: 1 });
  const edu = r.by_industry.find((o) => o.industry === 'edu');
  assert.deepEqual(edu.metrics.new_accounts, { this_week: 1, last_week: 1 });
  const dm = r.by_role.find((o) => o.role === 'decision_maker');
  assert.deepEqual(dm.metrics.trials, { this_week: 1, last_week: 0 });
  assert.deepEqual(dm.metrics.won_amount, { this_week: 800, last_week: 0 });
  const ev = r.by_role.find((o) => o.role === 'evaluator');
  assert.deepEqual(ev.metrics.trials, { this_week: 1, last_week: 1 });
  assert.deepEqual(r.stage_conversions.find((s) => s.to_stage === 'won'), { to_stage: 'won', this_week: 1, last_week: 0 });

  const csv = await api('/api/reports/weekly/export?format=csv&week=2025-W40&at_risk_below=0');
  assert.equal(csv.status, 200, csv.text);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'metric,breakdown,value,this_week,last_week,change');
  assert.ok(lines.includes('trials,total,,2,1,1'), lines.slice(0, 10).join('\n'));
  assert.ok(lines.includes('trials,owner,zhang,2,1,1'), lines.join('\n'));

  const badWeek = await api('/api/reports/weekly?week=2025-40');
  assert.equal(badWeek.status, 400);
  assert.equal(badWeek.json.error.field, 'week');
  const fallback = await api('/api/reports/weekly');
  assert.equal(fallback.status, 200, fallback.text);
  assert.match(fallback.json.week, /^\d{4}-W\d{2}$/);
});
