// 22. Campaigns and leads over HTTP (docs/growth/campaigns_and_leads.md): the CSV
// attendee import with its matching and line errors, the post-mortem on posted utm
// events and records (and its CSV export), the measures map, lead scores recomputed
// after a lead is created (and explained), and first-response hours. Expected numbers
// are worked by hand in the comments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, request, postBatch, poll, uid, apiCall, createRecord } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);
const DAY = 86400000;
const dayOf = (ms) => new Date(ms).toISOString().slice(0, 10);

const create = (resource, body) => createRecord(srv, cookie, resource, body);

function postCsv(path, csv) {
  return request(`${srv.url}${path}`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'text/csv' }, body: csv });
}

test('import, post-mortem, measures map, lead score and first response', async () => {
  const now = Date.now();
  const tag = uid('e1');
  const utm = `utm-${tag}`;
  const group = `g-${tag}`;
  const ann = `u-ann-${tag}`;
  const other = `u-other-${tag}`;
  const acme = await create('accounts', { name: `Acme ${tag}`, group_id: group, industry: 'manufacturing', size: '1000+', level: 'key' });
  const annContact = await create('contacts', { name: 'Ann', person_id: ann, email: `ann@${tag}.test`, role: 'decision_maker', account_id: acme.id });
  // Window: starts 5 days ago, ends 4 days ago (+30 days) — the events 3 days ago are in it.
  const campaign = await create('campaigns', {
    name: `Webinar ${tag}`, type: 'webinar', starts_on: dayOf(now - 5 * DAY), ends_on: dayOf(now - 4 * DAY),
    budget: 1000, actual_cost: 500, utm_campaign: utm, target_industries: ['manufacturing'], target_roles: ['decision_maker'],
  });

  // Import: line 2 Ann by email (other case) → contact + Acme; line 3 a walk-in whose
  // company is Acme's name → account only; line 4 a bad status → rejected.
  const csv = `name,email,company,status\nAnn,ANN@${tag.toUpperCase()}.TEST,,attended\nWalk In,walk@x.test,Acme ${tag},attended\nBad,,,maybe\n`;
  const imported = await postCsv(`/api/campaigns/${campaign.id}/members/import`, csv);
  assert.equal(imported.status, 207, imported.text);
  assert.equal(imported.json.accepted, 2);
  assert.equal(imported.json.rejected, 1);
  assert.equal(imported.json.matched_contacts, 1);
  assert.equal(imported.json.matched_accounts, 2);
  assert.deepEqual(imported.json.errors.map((e) => [e.line, e.field]), [[4, 'status']]);
  const members = await api(`/api/campaign_members?campaign_id=${campaign.id}&sort=id&order=asc`);
  assert.equal(members.json.total, 2);
  assert.equal(members.json.records[0].contact_id, annContact.id);
  assert.equal(members.json.records[1].account_id, acme.id);

  const badHeader = await postCsv(`/api/campaigns/${campaign.id}/members/import`, 'nom,email\nx,y\n');
  assert.equal(badHeader.status, 400, badHeader.text);
  assert.equal(badHeader.json.error.field, 'csv');
  const missing = await postCsv('/api/campaigns/999999/members/import', 'name\nx\n');
  assert.equal(missing.status, 404, missing.text);

  // Events 3 days ago: Ann on Acme and another person on another account, both with the utm.
  const t = new Date(now - 3 * DAY).toISOString();
  const posted = await postBatch(srv, [
    { type: 'page', userId: ann, name: 'landing', properties: { utm_campaign: utm }, context: { groupId: group }, timestamp: t, messageId: uid('m') },
    { type: 'track', userId: other, event: 'signed_up', properties: { utm_campaign: utm }, context: { groupId: `${group}-b` }, timestamp: t, messageId: uid('m') },
  ]);
  assert.equal(posted.status, 200, posted.text);

  // A won deal of Acme created now (after starts_on) for 2000.
  await create('opportunities', { account_id: acme.id, name: `Deal ${tag}`, stage: 'won', amount: 2000 });

  // A lead of Ann for the campaign: fit 25 (manufacturing) + 15 (1000+) + 20
  // (decision_maker) = 60; behaviour: Ann's page 3 days ago → 4 (the timeline events of
  // the import are record changes, not activity); nobody else on Acme → 0. 64.
  const lead = await create('leads', { name: 'Ann lead', campaign_id: campaign.id, contact_id: annContact.id, validity: 'valid', source: 'campaign' });
  const scoredLead = await poll(async () => {
    const r = await api(`/api/leads/${lead.id}`);
    return r.json.record.score === 64 ? r.json.record : null;
  });
  assert.ok(scoredLead, 'the lead was rescored after create');

  const explained = await api(`/api/leads/${lead.id}/score`, { auth: 'token' });
  assert.equal(explained.status, 200, explained.text);
  assert.equal(explained.json.score, 64);
  assert.equal(explained.json.fit.points, 60);
  assert.equal(explained.json.behaviour.person.events, 1);
  assert.equal(explained.json.first_response_hours, null);

  // First response 3 hours after creation → 3 hours; the PATCH rescoring keeps 64.
  const answered = new Date(Date.parse(lead.created_at) + 3 * 3600000).toISOString();
  const patched = await api(`/api/leads/${lead.id}`, { method: 'PATCH', body: { first_response_at: answered } });
  assert.equal(patched.status, 200, patched.text);
  const after = await api(`/api/leads/${lead.id}/score`);
  assert.equal(after.json.first_response_hours, 3);

  // Post-mortem: people Ann (member + events: one person), Walk In (member), the other
  // person → 3; accounts Acme + the other group → 2; leads 1 valid, followed up;
  // 500 / 1 per valid lead; the deal 2000 → roi (2000 − 500) / 500 = 3.
  const pm = await poll(async () => {
    const r = await api(`/api/campaigns/${campaign.id}/postmortem`, { auth: 'token' });
    return r.status === 200 && r.json.reached.people === 3 ? r.json : null;
  });
  assert.ok(pm, 'post-mortem reached 3 people');
  assert.equal(pm.reached.accounts, 2);
  assert.equal(pm.decision_makers, 1);
  assert.deepEqual(pm.leads, { total: 1, valid: 1, invalid: 0, followed_up: 1 });
  assert.equal(pm.cost_per_valid_lead, 500);
  assert.equal(pm.follow_up_rate, 1);
  assert.deepEqual(pm.opportunities, { count: 1, amount: 2000 });
  assert.deepEqual(pm.deals, { count: 1, amount: 2000 });
  assert.equal(pm.roi, 3);
  assert.deepEqual(pm.cost, { budget: 1000, actual: 500 });

  const exported = await api(`/api/campaigns/${campaign.id}/postmortem/export?format=csv`);
  assert.equal(exported.status, 200, exported.text);
  assert.ok(exported.text.includes('roi'), exported.text);
  const badFormat = await api(`/api/campaigns/${campaign.id}/postmortem/export?format=pdf`);
  assert.equal(badFormat.status, 400);
  assert.equal(badFormat.json.error.field, 'format');

  // Measures map: the campaign with reach 3 and 2 accounts; both events at the same
  // instant → influence 0 days.
  const map = await api('/api/campaigns/measures-map', { auth: 'token' });
  assert.equal(map.status, 200, map.text);
  const item = map.json.items.find((i) => i.kind === 'campaign' && i.id === campaign.id);
  assert.equal(item.reach, 3);
  assert.equal(item.accounts, 2);
  assert.equal(item.influence_days, 0);
  assert.equal(item.type, 'webinar');

  // Recompute on demand: every lead, or one by id.
  const all = await api('/api/leads/score', { method: 'POST' });
  assert.equal(all.status, 200, all.text);
  assert.ok(all.json.scored >= 1);
  const one = await api('/api/leads/score', { method: 'POST', body: { ids: [lead.id] } });
  assert.deepEqual(one.json.leads, [{ id: lead.id, score: 64 }]);
  const badIds = await api('/api/leads/score', { method: 'POST', body: { ids: 'x' } });
  assert.equal(badIds.status, 400);
  assert.equal(badIds.json.error.field, 'ids');
  const readOnly = await api('/api/leads/score', { method: 'POST', auth: 'token' });
  assert.ok(readOnly.status === 401 || readOnly.status === 403, readOnly.text);
});
