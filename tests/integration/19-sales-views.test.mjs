// 19. The sales views over HTTP on a fresh server: records created through the generic
// API, behaviour sent as identify / group / track through /v1/batch, then the account
// overview (people by role with activity, coverage, health, renewal), the account
// timeline (newest first, paged, linked to contacts and records), the decision-chain
// map, the pre-sales brief with its materials rule, and the visit minutes (JSON and
// text/plain) — every figure worked out by hand below — and their errors. Rules:
// docs/sales/views.md.
//
// The world (now = N, project zone Asia/Shanghai, window 30 days):
//   u1 Ann user         – report_viewed N−1d                    → active
//   u2 Bob evaluator    – report_viewed N−40d                    → inactive; stakeholder → met
//   u3 Cat decision_mkr – report_viewed N−2h; a record-change deal_won N−1h ($source
//                         records: not activity); attended held demo V → met + active
//   u4 Dan signer       – only identify                          → inactive; attends planned V2 only
//   (no one is budget_holder except Eve, an attendee of planned V2)
//   u9 of acc-2         – report_viewed N−3h (another account: never on acc-1's timeline)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, postBatch, apiCall, createRecord } from './harness.mjs';

let srv;
let cookie;
const now = Date.now();
const H = 3600 * 1000;
const D = 24 * H;
const iso = (ms) => new Date(ms).toISOString();
const ids = {};

// A calendar day in Asia/Shanghai (the project zone), YYYY-MM-DD.
const shanghaiDay = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
const renewalDate = shanghaiDay(now + 30 * D);  // 30 calendar days after today there

const api = (path, options) => apiCall(srv, cookie, path, options);

const create = (resource, body) => createRecord(srv, cookie, resource, body).then((r) => r.id);

before(async () => {
  srv = await startServer();
  cookie = await login(srv);

  // Records first, with the same values the traits carry, so a record sync (if running)
  // finds them by group_id / person_id and has nothing to change.
  ids.A = await create('accounts', { name: 'Acme', group_id: 'acc-1', industry: 'manufacturing', arr: 50000, renewal_date: renewalDate });
  ids.c1 = await create('contacts', { name: 'Ann', person_id: 'u1', account_id: ids.A, role: 'user' });
  ids.c2 = await create('contacts', { name: 'Bob', person_id: 'u2', account_id: ids.A, role: 'evaluator', email: 'bob@acme.com' });
  ids.c3 = await create('contacts', { name: 'Cat', person_id: 'u3', account_id: ids.A, role: 'decision_maker', email: 'cat@acme.com' });
  ids.c4 = await create('contacts', { name: 'Dan', person_id: 'u4', account_id: ids.A, role: 'signer', email: 'dan@acme.com' });
  ids.c5 = await create('contacts', { name: 'Eve', account_id: ids.A });
  ids.O = await create('opportunities', {
    account_id: ids.A, name: 'Acme rollout', stage: 'solution',
    decision_notes: [{ step: 'evaluation', drivers: ['cost'], frictions: ['security review'] }],
  });
  ids.S1 = await create('stakeholders', { opportunity_id: ids.O, contact_id: ids.c2, role: 'evaluator', stance: 'supporter' });
  ids.V = await create('visits', {
    account_id: ids.A, opportunity_id: ids.O, kind: 'demo', title: 'Pilot demo', held_at: iso(now - 3 * D),
    status: 'held', stage: 'solution',
    attendees: [{ contact_id: ids.c3, name: 'Cat' }, { name: 'Li', role: 'sales', side: 'ours' }],
    needs_found: ['SSO'], actions: ['demo'], feedback: 'Likes the dashboards', summary: 'Pilot agreed',
  });
  ids.V2 = await create('visits', {
    account_id: ids.A, opportunity_id: ids.O, kind: 'meeting', title: 'Contract talk', held_at: iso(now + 5 * D),
    status: 'planned', attendees: [{ contact_id: ids.c4, name: 'Dan' }, { name: 'Eve', role: 'budget_holder' }],
  });
  ids.F1 = await create('follow_ups', { visit_id: ids.V, account_id: ids.A, title: 'Send proposal', owner: 'Li', due_date: shanghaiDay(now + 7 * D) });
  ids.F2 = await create('follow_ups', { visit_id: ids.V, account_id: ids.A, title: 'Arrange pilot', owner: 'Wu', due_date: shanghaiDay(now + 2 * D) });
  ids.F3 = await create('follow_ups', { account_id: ids.A, title: 'Old task', owner: 'Li', due_date: shanghaiDay(now - 9 * D), status: 'done' });
  ids.M1 = await create('materials', { title: 'M1 generic deck' });
  ids.M2 = await create('materials', { title: 'M2 signer case', stages: ['solution'], roles: ['signer'], industries: ['manufacturing'] });
  ids.M3 = await create('materials', { title: 'M3 user guide', roles: ['user'] });
  ids.M4 = await create('materials', { title: 'M4 retail case', industries: ['retail'] });

  const g = { groupId: 'acc-1' };
  const t0 = now - 40 * D;
  const identify = (u, name, role, email, minutes) => ({
    type: 'identify', userId: u, traits: { name, role, ...(email ? { email } : {}) }, context: g,
    timestamp: iso(t0 - minutes * 60000),
  });
  const r = await postBatch(srv, [
    { type: 'group', userId: 'u1', groupId: 'acc-1', traits: { name: 'Acme', industry: 'manufacturing', arr: 50000, renewal_date: renewalDate }, timestamp: iso(t0 - 5 * 60000) },
    identify('u1', 'Ann', 'user', null, 4),
    identify('u2', 'Bob', 'evaluator', 'bob@acme.com', 3),
    identify('u3', 'Cat', 'decision_maker', 'cat@acme.com', 2),
    identify('u4', 'Dan', 'signer', 'dan@acme.com', 1),
    { type: 'track', event: 'report_viewed', userId: 'u2', context: g, timestamp: iso(t0) },
    { type: 'track', event: 'report_viewed', userId: 'u1', context: g, timestamp: iso(now - D) },
    { type: 'track', event: 'report_viewed', userId: 'u3', context: g, timestamp: iso(now - 2 * H) },
    { type: 'track', event: 'deal_won', userId: 'u3', context: g, timestamp: iso(now - H),
      properties: { record_type: 'opportunities', record_id: ids.O, $source: 'records', note: 'it-19' } },
    { type: 'track', event: 'report_viewed', userId: 'u9', context: { groupId: 'acc-2' }, timestamp: iso(now - 3 * H) },
  ]);
  assert.equal(r.status, 200, r.text);
});
after(async () => { if (srv) await srv.cleanup(); });

test('account overview: people by role with activity, coverage, health, renewal', async () => {
  const r = await api(`/api/accounts/${ids.A}/overview?days=30`);
  assert.equal(r.status, 200, r.text);
  const o = r.json;
  assert.equal(o.account.name, 'Acme');
  // Roles in chain order (user, evaluator, budget_holder, decision_maker, signer), the
  // roleless last; budget_holder has no contact, so no group.
  assert.deepEqual(o.people.map((p) => p.role), ['user', 'evaluator', 'decision_maker', 'signer', null]);
  const contact = (role) => o.people.find((p) => p.role === role).contacts[0];
  assert.equal(contact('user').active, true);
  assert.equal(Date.parse(contact('user').last_seen), now - D);
  assert.equal(contact('evaluator').active, false);
  assert.equal(Date.parse(contact('evaluator').last_seen), now - 40 * D);
  // Cat's latest activity is her report_viewed; the later deal_won is a record change.
  assert.equal(contact('decision_maker').active, true);
  assert.equal(Date.parse(contact('decision_maker').last_seen), now - 2 * H);
  assert.equal(contact('decision_maker').email, 'cat@acme.com');
  assert.equal(contact('signer').active, false);
  assert.equal(contact('signer').last_seen, null);  // only an identify call
  assert.deepEqual(contact(null), { id: ids.c5, name: 'Eve', title: null, email: null, person_id: null, active: false, last_seen: null });

  assert.deepEqual(o.coverage, {
    roles: [
      { role: 'user', known: 1, active: 1 }, { role: 'evaluator', known: 1, active: 0 },
      { role: 'budget_holder', known: 0, active: 0 }, { role: 'decision_maker', known: 1, active: 1 },
      { role: 'signer', known: 1, active: 0 },
    ],
    missing: ['evaluator', 'budget_holder', 'signer'],
  });
  assert.equal(typeof o.health.score, 'number');
  assert.equal(o.health.account, 'acc-1');
  assert.equal(o.health.parts.roles.value, 2);  // user and decision_maker active
  assert.deepEqual(o.renewal, { date: renewalDate, arr: 50000, days_left: 30 });
  assert.deepEqual(o.opportunities.map((x) => x.id), [ids.O]);
  assert.deepEqual(o.visits.map((x) => x.id), [ids.V2, ids.V]);  // latest first
  assert.deepEqual(o.follow_ups.map((x) => x.id), [ids.F2, ids.F1]);  // open ones, by due date
});

test('account timeline: newest first, paged without gaps, linked to contacts and records', async () => {
  const items = [];
  let before = null;
  for (let page = 0; page < 50; page++) {
    const q = new URLSearchParams({ limit: '2' });
    if (before) q.set('before', before);
    const r = await api(`/api/accounts/${ids.A}/timeline?${q}`, { auth: 'token' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length >= 1);
    items.push(...r.json.items);
    if (r.json.next_before === null) break;
    assert.ok(before === null || Date.parse(r.json.next_before) < Date.parse(before), 'cursor moves back');
    before = r.json.next_before;
  }
  for (let i = 1; i < items.length; i++) assert.ok(Date.parse(items[i - 1].t) >= Date.parse(items[i].t), 'newest first');
  // Ours (record changes another part may write for the records above are left aside).
  const ours = items.filter((i) => i.properties.$source !== 'records' || i.properties.note === 'it-19');
  assert.deepEqual(ours.map((i) => `${i.event}:${i.person_id}`), [
    'deal_won:u3', 'report_viewed:u3', 'report_viewed:u1', 'report_viewed:u2',
    '$identify:u4', '$identify:u3', '$identify:u2', '$identify:u1', '$group:u1',
  ]);
  const deal = ours[0];
  assert.equal(Date.parse(deal.t), now - H);
  assert.deepEqual(deal.record, { type: 'opportunities', id: ids.O });
  assert.equal(deal.contact_id, ids.c3);
  assert.equal(deal.contact_name, 'Cat');
  assert.equal(deal.role, 'decision_maker');
  assert.equal(ours[1].record, null);
  for (const i of items) assert.notEqual(i.person_id, 'u9');
  // Record changes of the account are on the same timeline, linked to their records
  // (the timeline outbox writes them; stakeholder S1 names Bob as its person).
  const added = items.find((i) => i.event === 'stakeholder_added');
  assert.ok(added, JSON.stringify(items.map((i) => i.event)));
  assert.deepEqual(added.record, { type: 'stakeholders', id: ids.S1 });
  assert.equal(added.contact_id, ids.c2);
  assert.ok(items.some((i) => i.event === 'opportunity_created' && i.record.id === ids.O));
});

test('decision chain: one met, one active only, one engaged, two missing', async () => {
  const r = await api(`/api/opportunities/${ids.O}/decision-chain?days=30`);
  assert.equal(r.status, 200, r.text);
  const byRole = Object.fromEntries(r.json.roles.map((x) => [x.role, x]));
  assert.deepEqual(r.json.roles.map((x) => [x.role, x.status]), [
    ['user', 'active_only'], ['evaluator', 'met'], ['budget_holder', 'missing'],
    ['decision_maker', 'engaged'], ['signer', 'missing'],
  ]);
  assert.equal(byRole.user.active_people, 1);
  assert.equal(byRole.decision_maker.active_people, 1);
  assert.equal(byRole.evaluator.active_people, 0);
  assert.deepEqual(byRole.evaluator.stakeholders.map((s) => [s.id, s.contact_id, s.contact_name, s.stance]),
    [[ids.S1, ids.c2, 'Bob', 'supporter']]);
  assert.deepEqual(r.json.missing, ['budget_holder', 'signer']);
  assert.deepEqual(r.json.steps, [{ step: 'evaluation', drivers: ['cost'], frictions: ['security review'] }]);
});

test('pre-sales brief: attending roles of the next planned visit choose the materials', async () => {
  const r = await api(`/api/opportunities/${ids.O}/brief`, { auth: 'token' });
  assert.equal(r.status, 200, r.text);
  // V2: Dan (signer, from his contact) and Eve (budget_holder). Stage solution,
  // industry manufacturing: M1 (no conditions) and M2 (solution/signer/manufacturing)
  // fit; M3 wants a user, M4 retail.
  assert.deepEqual(r.json.attending_roles, ['signer', 'budget_holder']);
  assert.deepEqual(r.json.materials.map((m) => m.title), ['M1 generic deck', 'M2 signer case']);
  assert.equal(r.json.account.industry, 'manufacturing');
  assert.equal(r.json.brief, null);
  assert.equal(r.json.opportunity.id, ids.O);
});

test('visit minutes: JSON and e-mail-ready text', async () => {
  const r = await api(`/api/visits/${ids.V}/minutes`, { auth: 'token' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.subject, `demo · Acme · ${shanghaiDay(now - 3 * D)}`);
  assert.deepEqual(r.json.to, ['cat@acme.com']);
  const body = r.json.body;
  assert.ok(body.startsWith('Pilot demo\n'), body);
  assert.ok(body.includes('- Cat · decision_maker · customer\n- Li · sales · ours\n'), body);
  assert.ok(body.includes(`Follow-ups / 后续事项:\n- Arrange pilot · owner: Wu · due: ${shanghaiDay(now + 2 * D)}\n` +
    `- Send proposal · owner: Li · due: ${shanghaiDay(now + 7 * D)}\n`), body);
  assert.ok(body.endsWith('Summary / 总结:\nPilot agreed\n'), body);

  const text = await api(`/api/visits/${ids.V}/minutes?format=text`);
  assert.equal(text.status, 200, text.text);
  assert.match(text.headers.get('content-type'), /^text\/plain/);
  assert.equal(text.text, `Subject: ${r.json.subject}\nTo: cat@acme.com\n\n${body}`);
});

test('errors name the field; unknown ids are 404; reading needs a session or read token', async () => {
  const cases = [
    [`/api/accounts/${ids.A}/overview?days=0`, 400, 'days'],
    [`/api/accounts/${ids.A}/overview?days=abc`, 400, 'days'],
    [`/api/opportunities/${ids.O}/decision-chain?days=3651`, 400, 'days'],
    [`/api/accounts/${ids.A}/timeline?limit=0`, 400, 'limit'],
    [`/api/accounts/${ids.A}/timeline?before=yesterday`, 400, 'before'],
    [`/api/visits/${ids.V}/minutes?format=pdf`, 400, 'format'],
    ['/api/accounts/99999/overview', 404, null],
    ['/api/accounts/99999/timeline', 404, null],
    ['/api/opportunities/99999/decision-chain', 404, null],
    ['/api/opportunities/99999/brief', 404, null],
    ['/api/visits/99999/minutes', 404, null],
  ];
  for (const [path, status, field] of cases) {
    const r = await api(path, { auth: 'token' });
    assert.equal(r.status, status, `${path}: ${r.text}`);
    if (field) assert.equal(r.json.error.field, field, path);
  }
  const anonymous = await api(`/api/accounts/${ids.A}/overview`, { auth: 'none' });
  assert.equal(anonymous.status, 401, anonymous.text);
});
