// 25. The partner program over HTTP (docs/growth/partners.md): points with idempotency
// keys, the balance that concurrent redemptions (through the partner route and the
// generic POST /api/point_entries alike) can never overdraw, replayed and conflicting
// keys, the ledger with its running balance, the ranking with tiers, and the exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, apiCall, uid } from './harness.mjs';

let srv;
let cookie;

before(async () => {
  srv = await startServer();
  cookie = await login(srv);
});
after(async () => { if (srv) await srv.cleanup(); });

const api = (path, options) => apiCall(srv, cookie, path, options);

async function newPartner(name) {
  const r = await api('/api/partners', { method: 'POST', body: { name, kind: 'integrator', certification: 'silver' } });
  assert.equal(r.status, 201, r.text);
  return r.json.record.id;
}

const points = (id, body) => api(`/api/partners/${id}/points`, { method: 'POST', body });

test('20 concurrent redemptions never overdraw the balance', async () => {
  const id = await newPartner(uid('并发伙伴'));
  const seed = await points(id, { kind: 'quote', points: 1000, reason: 'deal', idempotency_key: uid('seed') });
  assert.equal(seed.status, 201, seed.text);
  assert.equal(seed.json.balance, 1000);

  // Balance 1000, 20 redemptions of 150 each, half through the partner route and half
  // through the generic record route (stored negative there): 1000 / 150 → 6 fit
  // (900), 14 are refused, the balance ends at 100.
  const calls = [];
  for (let i = 0; i < 20; i++) {
    if (i % 2 === 0) {
      calls.push(points(id, { kind: 'redemption', points: 150, idempotency_key: uid(`r${i}`) }));
    } else {
      calls.push(api('/api/point_entries', {
        method: 'POST', body: { partner_id: id, kind: 'redemption', points: -150, idempotency_key: uid(`g${i}`) },
      }));
    }
  }
  const answers = await Promise.all(calls);
  const accepted = answers.filter((a) => a.status === 201).length;
  const refused = answers.filter((a) => a.status === 412);
  assert.equal(accepted + refused.length, 20, answers.map((a) => `${a.status} ${a.text}`).join('\n'));
  assert.equal(accepted, 6);
  assert.equal(refused.length, 14);
  for (const r of refused) {
    assert.match(r.json.error.message, /balance (\d+)/);
    const left = Number(/balance (-?\d+)/.exec(r.json.error.message)[1]);
    assert.ok(left >= 0 && left < 150, r.json.error.message);
  }

  const ledger = await api(`/api/partners/${id}/ledger`);
  assert.equal(ledger.status, 200, ledger.text);
  assert.equal(ledger.json.balance, 100);
  assert.equal(ledger.json.entries.length, 7);
  assert.equal(ledger.json.redeemed, 900);
  assert.equal(ledger.json.earned, 1000);
  // The running balance goes 1000, 850, 700, … 100 and never below zero.
  assert.deepEqual(ledger.json.entries.map((e) => e.balance), [1000, 850, 700, 550, 400, 250, 100]);
});

test('idempotency keys: replays answer the original, conflicts are 409', async () => {
  const id = await newPartner(uid('幂等伙伴'));
  const key = uid('k');
  const body = { kind: 'presales', points: 300, reason: '方案支持', idempotency_key: key };
  const first = await points(id, body);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.json.replayed, false);

  const again = await points(id, body);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.replayed, true);
  assert.equal(again.json.entry.id, first.json.entry.id);
  assert.equal(again.json.balance, 300);

  const conflict = await points(id, { ...body, points: 301 });
  assert.equal(conflict.status, 409, conflict.text);
  assert.equal(conflict.json.error.field, 'idempotency_key');

  // Ten identical requests at once with a fresh key: one entry, nine replays.
  const key2 = uid('burst');
  const burst = await Promise.all(Array.from({ length: 10 }, () =>
    points(id, { kind: 'reward', points: 50, idempotency_key: key2 })));
  assert.equal(burst.filter((a) => a.status === 201).length, 1, burst.map((a) => a.text).join('\n'));
  assert.equal(burst.filter((a) => a.status === 200 && a.json.replayed).length, 9);
  assert.equal(new Set(burst.map((a) => a.json.entry.id)).size, 1);

  // A replayed redemption is spent once: balance 350 → redeem 200 twice with one key → 150.
  const rkey = uid('redeem');
  assert.equal((await points(id, { kind: 'redemption', points: 200, idempotency_key: rkey })).status, 201);
  const r2 = await points(id, { kind: 'redemption', points: 200, idempotency_key: rkey });
  assert.equal(r2.status, 200);
  assert.equal(r2.json.replayed, true);
  const ledger = await api(`/api/partners/${id}/ledger`);
  assert.equal(ledger.json.balance, 150);  // 300 + 50 − 200
  assert.equal(ledger.json.entries.length, 3);
});

test('errors name their field; the ledger stays append-only', async () => {
  const id = await newPartner(uid('错误伙伴'));
  const noKey = await points(id, { kind: 'quote', points: 10 });
  assert.equal(noKey.status, 400);
  assert.equal(noKey.json.error.field, 'idempotency_key');
  const badKind = await points(id, { kind: 'gift', points: 10, idempotency_key: uid('x') });
  assert.equal(badKind.json.error.field, 'kind');
  const negativeEarn = await points(id, { kind: 'quote', points: -10, idempotency_key: uid('x') });
  assert.equal(negativeEarn.json.error.field, 'points');
  const overdraw = await points(id, { kind: 'redemption', points: 1, idempotency_key: uid('x') });
  assert.equal(overdraw.status, 412);
  assert.match(overdraw.json.error.message, /balance 0/);
  const missing = await points(999999, { kind: 'quote', points: 1, idempotency_key: uid('x') });
  assert.equal(missing.status, 404);
  // The generic create keeps the signs: a positive redemption is refused.
  const positive = await api('/api/point_entries', { method: 'POST', body: { partner_id: id, kind: 'redemption', points: 5 } });
  assert.equal(positive.status, 400, positive.text);
  assert.equal(positive.json.error.field, 'points');
  // A read token may read the ledger but not add points.
  const viaToken = await apiCall(srv, cookie, `/api/partners/${id}/points`,
    { method: 'POST', auth: 'token', body: { kind: 'quote', points: 1, idempotency_key: uid('t') } });
  assert.ok([401, 403].includes(viaToken.status), viaToken.text);
  const read = await apiCall(srv, cookie, `/api/partners/${id}/ledger`, { auth: 'token' });
  assert.equal(read.status, 200, read.text);
  // Entries cannot be changed afterwards.
  const e = await points(id, { kind: 'quote', points: 20, idempotency_key: uid('x') });
  const patch = await api(`/api/point_entries/${e.json.entry.id}`, { method: 'PATCH', body: { points: 2000 } });
  assert.equal(patch.status, 412, patch.text);
});

test('ranking with tiers, ledger and ranking exports', async () => {
  const gold = await newPartner(uid('金牌'));
  const fresh = await newPartner(uid('新伙伴'));
  // gold: quote 1500 + delivery_rating 600 − penalty 100 → 12-month points 2000 → gold,
  // 3000 to platinum; redeeming 500 lowers the balance (1500) but not the tier.
  for (const [kind, p] of [['quote', 1500], ['delivery_rating', 600], ['penalty', 100], ['redemption', 500]]) {
    const r = await points(gold, { kind, points: p, idempotency_key: uid('g') });
    assert.equal(r.status, 201, r.text);
  }
  const ranking = await api('/api/partners/ranking');
  assert.equal(ranking.status, 200, ranking.text);
  const g = ranking.json.items.find((x) => x.partner_id === gold);
  const f = ranking.json.items.find((x) => x.partner_id === fresh);
  assert.equal(g.points_12m, 2000);
  assert.equal(g.earned_12m, 2100);
  assert.equal(g.penalties_12m, 100);
  assert.equal(g.balance, 1500);
  assert.equal(g.tier, 'gold');
  assert.equal(g.next_tier, 'platinum');
  assert.equal(g.points_to_next, 3000);
  assert.equal(g.certification, 'silver');
  assert.equal(f.tier, 'bronze');
  assert.equal(f.points_to_next, 500);
  assert.ok(g.rank < f.rank);
  // Ranks follow the points: no item ranks above one with more points.
  const items = ranking.json.items;
  for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].points_12m >= items[i].points_12m);

  const csv = await api(`/api/partners/${gold}/ledger/export?format=csv`);
  assert.equal(csv.status, 200, csv.text);
  const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'id,created_at,kind,points,balance,reason,idempotency_key,recorded_by');
  assert.equal(lines.length, 5);
  assert.ok(lines[4].includes(',-500,1500,'), lines[4]);
  const rcsv = await api('/api/partners/ranking/export?format=csv');
  assert.equal(rcsv.status, 200);
  assert.match(rcsv.headers.get('content-disposition'), /tobops-partner-ranking\.csv/);
  const xlsx = await fetch(`${srv.url}/api/partners/ranking/export?format=xlsx`, { headers: { Cookie: cookie } });
  assert.equal(xlsx.status, 200);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const badFormat = await api('/api/partners/ranking/export?format=pdf');
  assert.equal(badFormat.status, 400);
});
