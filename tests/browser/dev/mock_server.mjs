// Development-only mock of the tobops HTTP API (docs/http_api.md) that also
// serves the built console from web/dist. Not used by the real browser test,
// which runs against `tobops serve`.
//
//   node tests/browser/dev/mock_server.mjs            # port 8099, password "demo-password"
//   PORT=9000 TOBOPS_ADMIN_PASSWORD=x node tests/browser/dev/mock_server.mjs

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(process.env.TOBOPS_WEB_DIST || path.join(here, '../../../web/dist'));
const PORT = Number(process.env.PORT || 8099);
const PASSWORD = process.env.TOBOPS_ADMIN_PASSWORD || 'demo-password';
const TZ_OFFSET_MS = 8 * 3600 * 1000; // Asia/Shanghai
const DAY = 86400000;

// ---- deterministic demo data --------------------------------------------
let seed = 42; // mulberry32
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];

const industries = ['制造业', '金融', '零售', '教育', '医疗', '互联网'];
const accounts = Array.from({ length: 60 }, (_, i) => ({
  id: `acct_${100 + i}`,
  traits: { industry: pick(industries), size: pick(['1-50', '51-200', '201-1000', '1000+']), region: pick(['华东', '华北', '华南', '西南']), level: rnd() < 0.2 ? 'key' : 'normal' },
}));
const roles = ['user', 'evaluator', 'budget_holder', 'decision_maker', 'signer'];
const persons = Array.from({ length: 400 }, (_, i) => ({
  id: `u_${1000 + i}`,
  account: rnd() < 0.9 ? pick(accounts).id : null,
  traits: { role: pick(roles), title: pick(['工程师', '经理', '总监', 'CTO', 'CFO']) },
}));
const eventNames = [
  ['$pageview', 40], ['feature_used', 22], ['signup', 6], ['trial_started', 4], ['webinar_registered', 5],
  ['demo_requested', 3], ['purchase', 1.5], ['renewal', 0.8], ['invite_sent', 3], ['report_exported', 4],
];
const totalW = eventNames.reduce((s, [, w]) => s + w, 0);
const pickEvent = () => {
  let r = rnd() * totalW;
  for (const [n, w] of eventNames) { if ((r -= w) <= 0) return n; }
  return '$pageview';
};
const channels = ['website', 'sem', 'video', 'brochure', 'case_study', 'wechat'];
const now = Date.now();
const events = [];
for (let i = 0; i < 9000; i++) {
  const ageDays = Math.pow(rnd(), 1.3) * 90;
  const ts = now - ageDays * DAY - rnd() * 3600000;
  const p = pick(persons);
  const name = pickEvent();
  const props = { channel: pick(channels), page: pick(['/', '/pricing', '/docs', '/cases', '/blog/growth']) };
  if (name === 'feature_used') props.feature = pick(['dashboard', 'funnel', 'export', 'alerts']);
  if (name === 'purchase' || name === 'renewal') props.amount = Math.round(5000 + rnd() * 95000);
  if (rnd() < 0.3) props.utm_source = pick(['baidu', 'zhihu', 'linkedin', 'newsletter']);
  events.push({
    timestamp: new Date(ts).toISOString(), received_at: new Date(ts + 800).toISOString(),
    type: name === '$pageview' ? 'page' : 'track', event: name, person: p.id, user_id: p.id,
    anonymous_id: `anon-${p.id.slice(2)}`, account: p.account, message_id: crypto.randomUUID(), properties: props,
  });
}
events.sort((a, b) => (a.received_at < b.received_at ? 1 : -1));
const personById = new Map(persons.map((p) => [p.id, p]));
const accountById = new Map(accounts.map((a) => [a.id, a]));

let keys = [
  { id: 'k1', kind: 'write', name: '官网', prefix: 'tbw_1a2b', created_at: new Date(now - 40 * DAY).toISOString(), revoked_at: null },
  { id: 'k2', kind: 'read', name: 'BI 报表', prefix: 'tbr_9f3c', created_at: new Date(now - 12 * DAY).toISOString(), revoked_at: null },
  { id: 'k3', kind: 'write', name: 'old-app', prefix: 'tbw_77aa', created_at: new Date(now - 80 * DAY).toISOString(), revoked_at: new Date(now - 20 * DAY).toISOString() },
];
const quarantine = Array.from({ length: 47 }, (_, i) => ({
  id: i + 1,
  received_at: new Date(now - i * 3.3 * 3600000).toISOString(),
  code: 'invalid_argument',
  field: pick(['batch[3].timestamp', 'properties.amount', 'event', 'userId']),
  message: pick(['timestamp is not ISO-8601 or epoch milliseconds', 'amount must be a number', 'event name is empty', 'userId or anonymousId is required']),
  payload: JSON.stringify({ type: 'track', event: pick(['purchase', '']), userId: `u_${i}`, timestamp: 'yesterday', properties: { amount: 'lots' } }),
}));
let plan = {
  mode: 'flag',
  events: [
    { name: 'signup', description: '用户注册', properties: [{ name: 'channel', type: 'string', required: true, allowed: ['website', 'sem', 'video'] }] },
    { name: 'purchase', description: '购买', properties: [{ name: 'amount', type: 'number', required: true, allowed: [] }] },
    { name: 'contract_signed', description: '合同签署', properties: [] },
  ],
};

// ---- helpers -----------------------------------------------------------
const pad = (n) => String(n).padStart(2, '0');
function localIso(ms) {
  const d = new Date(ms + TZ_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}
function bucketStart(ms, interval) {
  const l = ms + TZ_OFFSET_MS;
  const d = new Date(l);
  let s;
  if (interval === 'hour') s = Math.floor(l / 3600000) * 3600000;
  else if (interval === 'month') s = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  else {
    s = Math.floor(l / DAY) * DAY;
    if (interval === 'week') s -= ((d.getUTCDay() + 6) % 7) * DAY;
  }
  return s - TZ_OFFSET_MS;
}
function nextBucket(ms, interval) {
  if (interval === 'hour') return ms + 3600000;
  if (interval === 'day') return ms + DAY;
  if (interval === 'week') return ms + 7 * DAY;
  const d = new Date(ms + TZ_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - TZ_OFFSET_MS;
}
const dayStart = (ms) => bucketStart(ms, 'day');

function send(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(data);
}
const err = (res, status, code, message, field) => send(res, status, { error: { code, message, ...(field ? { field } : {}) } });

const sessions = new Set();
function authed(req) {
  const m = /(?:^|;\s*)tobops_session=([^;]+)/.exec(req.headers.cookie || '');
  return m && sessions.has(m[1]);
}
async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  return JSON.parse(text);
}

function propOf(e, source, prop) {
  if (source === 'event') return e.properties[prop];
  if (source === 'person') return personById.get(e.person)?.traits[prop];
  if (source === 'account') return e.account ? accountById.get(e.account)?.traits[prop] : undefined;
  return undefined;
}
function matches(e, f) {
  const v = propOf(e, f.source, f.property);
  switch (f.op) {
    case 'eq': return v === f.value;
    case 'neq': return v !== f.value;
    case 'in': return Array.isArray(f.value) && f.value.includes(v);
    case 'not_in': return Array.isArray(f.value) && !f.value.includes(v);
    case 'contains': return v !== undefined && String(v).toLowerCase().includes(String(f.value).toLowerCase());
    case 'gt': return Number(v) > f.value;
    case 'gte': return Number(v) >= f.value;
    case 'lt': return Number(v) < f.value;
    case 'lte': return Number(v) <= f.value;
    case 'is_set': return v !== undefined && v !== null;
    case 'is_not_set': return v === undefined || v === null;
    default: return true;
  }
}

function trend(spec) {
  const interval = spec.interval || 'day';
  if (!['hour', 'day', 'week', 'month'].includes(interval)) {
    return { error: ['interval must be one of hour, day, week, month', 'interval'] };
  }
  let from; let to;
  const range = spec.range || { last: '30d' };
  if (range.last) {
    const m = /^(\d+)([hdwm])$/.exec(range.last);
    if (!m) return { error: ['range.last must look like 30d, 12h, 8w or 6m', 'range.last'] };
    const n = Number(m[1]);
    const unit = { h: 3600000, d: DAY, w: 7 * DAY, m: 30 * DAY }[m[2]];
    to = now;
    from = m[2] === 'h' ? now - n * unit : dayStart(now) - (n - 1) * unit;
  } else {
    from = Date.parse(`${range.from}T00:00:00+08:00`);
    to = Date.parse(`${range.to}T00:00:00+08:00`) + DAY;
    if (Number.isNaN(from) || Number.isNaN(to)) return { error: ['range.from and range.to must be YYYY-MM-DD', 'range'] };
  }
  const buckets = [];
  for (let b = bucketStart(from, interval); b < to; b = nextBucket(b, interval)) buckets.push(b);
  const out = [];
  for (const s of spec.series || [{}]) {
    const measure = s.measure || 'events';
    const evs = events.filter((e) => {
      const t = Date.parse(e.timestamp);
      if (t < from || t >= to) return false;
      if (s.event && s.event !== '$all' && e.event !== s.event) return false;
      return [...(spec.filters || []), ...(s.filters || [])].every((f) => matches(e, f));
    });
    const groups = new Map();
    for (const e of evs) {
      const key = spec.breakdown ? (propOf(e, spec.breakdown.source, spec.breakdown.property) ?? null) : undefined;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(e);
    }
    if (!spec.breakdown && !groups.size) groups.set(undefined, []);
    const rows = [];
    for (const [key, list] of groups) {
      const idOf = (e) => (measure === 'persons' ? e.person : measure === 'accounts' ? e.account : e.message_id);
      const per = new Map(buckets.map((b) => [b, new Set()]));
      const all = new Set();
      for (const e of list) {
        const id = idOf(e);
        if (id == null) continue;
        per.get(bucketStart(Date.parse(e.timestamp), interval))?.add(id);
        all.add(id);
      }
      const base = s.label || s.event || '$all';
      rows.push({
        label: spec.breakdown ? `${base} · ${key}` : base,
        event: s.event || '$all', measure,
        ...(spec.breakdown ? { breakdown_value: key } : {}),
        total: all.size,
        points: buckets.map((b) => ({ t: localIso(b), value: per.get(b).size })),
      });
    }
    rows.sort((a, b) => b.total - a.total);
    out.push(...rows.slice(0, Math.min(spec.limit || 10, 100)));
  }
  return { kind: 'trend', interval, timezone: 'Asia/Shanghai', from: localIso(bucketStart(from, 'day')), to: localIso(to), series: out };
}


// ---- analysis kinds (rough stand-ins for the server's, for UI work only) ----
function rangeOf(spec) {
  const range = spec.range || { last: '30d' };
  if (range.last) {
    const m = /^(\d+)([hdwm])$/.exec(range.last);
    if (!m) return { error: ['range.last must look like 30d, 12h, 8w or 6m', 'range.last'] };
    const unit = { h: 3600000, d: DAY, w: 7 * DAY, m: 30 * DAY }[m[2]];
    return { from: m[2] === 'h' ? now - Number(m[1]) * unit : dayStart(now) - (Number(m[1]) - 1) * unit, to: now };
  }
  const from = Date.parse(`${range.from}T00:00:00+08:00`);
  const to = Date.parse(`${range.to}T00:00:00+08:00`) + DAY;
  if (Number.isNaN(from) || Number.isNaN(to)) return { error: ['range.from and range.to must be YYYY-MM-DD', 'range'] };
  return { from, to };
}
const byTime = [...events].sort((a, b) => (a.timestamp < b.timestamp ? -1 : 1));
function entityOf(e, agg) { return agg === 'account' ? e.account : e.person; }
function timelines(spec, from, to) {
  const m = new Map();
  for (const e of byTime) {
    const t = Date.parse(e.timestamp);
    if (t < from || t >= to) continue;
    if (!(spec.filters || []).every((f) => matches(e, f))) continue;
    const id = entityOf(e, spec.aggregate_by);
    if (!id) continue;
    if (!m.has(id)) m.set(id, []);
    m.get(id).push({ ...e, t });
  }
  return m;
}
const isAny = (ev) => !ev || ev === '$any' || ev === '$all';
function stepMatch(step, e) {
  if (!isAny(step.event) && e.event !== step.event) return false;
  if (step.role && personById.get(e.person)?.traits.role !== step.role) return false;
  return (step.filters || []).every((f) => matches(e, f));
}
function parseDur(s, field) {
  const m = /^(\d+)(d|h|min|w|s)$/.exec(String(s || ''));
  if (!m) return { error: [`${field} must look like 14d, 12h, 45min`, field] };
  return { ms: Number(m[1]) * { d: DAY, h: 3600000, min: 60000, w: 7 * DAY, s: 1000 }[m[2]] };
}
function median(a) { if (!a.length) return null; const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; }

function funnel(spec) {
  const steps = spec.steps || [];
  if (steps.length < 2 || steps.length > 20) return { error: ['steps must be an array of 2 to 20 steps', 'steps'] };
  for (const [i, s] of steps.entries()) if (!s.event) return { error: ['event must be a non-empty string', `steps[${i}].event`] };
  const w = parseDur(spec.window || '14d', 'window');
  if (w.error) return w;
  const r = rangeOf(spec);
  if (r.error) return r;
  const tl = timelines(spec, r.from, r.to);
  const reach = steps.map(() => []);
  const times = steps.map(() => []);
  const bd = new Map();
  const ot = new Map();
  const interval = spec.over_time;
  for (const [id, rows] of tl) {
    let k = 0; let start = null; let prevT = null; let firstEvent = null;
    for (const e of rows) {
      if (k >= steps.length) break;
      if (start !== null && e.t - start > w.ms) break;
      if (stepMatch(steps[k], e)) {
        if (k === 0) { start = e.t; firstEvent = e; } else times[k].push(e.t - prevT);
        prevT = e.t;
        k++;
      }
    }
    for (let i = 0; i < k; i++) reach[i].push(id);
    if (k > 0 && spec.breakdown) {
      const v = propOf(firstEvent, spec.breakdown.source, spec.breakdown.property) ?? null;
      if (!bd.has(v)) bd.set(v, steps.map(() => 0));
      for (let i = 0; i < k; i++) bd.get(v)[i]++;
    }
    if (k > 0 && interval) {
      const b = bucketStart(start, interval);
      const x = ot.get(b) || { entered: 0, converted: 0 };
      x.entered++; if (k === steps.length) x.converted++;
      ot.set(b, x);
    }
  }
  const mk = (counts) => counts.map((c, i) => ({
    index: i, event: steps[i].event, name: steps[i].label || steps[i].event, count: c,
    conversion_from_previous: i === 0 ? 1 : counts[i - 1] ? c / counts[i - 1] : 0,
    conversion_from_first: counts[0] ? c / counts[0] : 0,
    dropped: i === 0 ? 0 : counts[i - 1] - c,
    time_to_convert: i === 0 || !times[i].length ? null : { median_ms: median(times[i]), average_ms: times[i].reduce((a, b) => a + b, 0) / times[i].length, histogram: [] },
  }));
  const out = { kind: 'funnel', steps: mk(reach.map((x) => x.length)) };
  if (spec.breakdown) out.breakdown = [...bd.entries()].sort((a, b) => b[1][0] - a[1][0]).slice(0, 10).map(([value, c]) => ({ value, steps: mk(c) }));
  if (interval) out.over_time = [...ot.entries()].sort((a, b) => a[0] - b[0]).map(([b, x]) => ({ t: localIso(b), entered: x.entered, converted: x.converted, rate: x.entered ? x.converted / x.entered : 0 }));
  if (spec.entities) {
    const { step = 0, status = 'reached', limit = 100, offset = 0 } = spec.entities;
    if (status === 'dropped' && step === steps.length - 1) return { error: ['nobody drops after the last step; use status reached', 'entities.step'] };
    const ids = status === 'dropped' ? reach[step].filter((id) => !reach[step + 1].includes(id)) : reach[step];
    out.entities = { step, status, total: ids.length, ids: ids.slice(offset, offset + limit) };
  }
  return out;
}

function retention(spec) {
  const period = spec.period || 'week';
  const periods = Number(spec.periods || 8);
  if (!(periods >= 1 && periods <= 52)) return { error: ['periods must be an integer from 1 to 52', 'periods'] };
  const r = rangeOf(spec);
  if (r.error) return r;
  const tl = timelines(spec, r.from, now);
  const cohorts = new Map();
  for (const [, rows] of tl) {
    const first = rows.find((e) => stepMatch(spec.start || {}, e) && e.t < r.to);
    if (!first) continue;
    const c0 = bucketStart(first.t, period);
    if (!cohorts.has(c0)) cohorts.set(c0, { size: 0, values: Array(periods + 1).fill(0) });
    const c = cohorts.get(c0);
    c.size++;
    const seen = new Set();
    let b = c0;
    const starts = [b];
    for (let i = 0; i < periods; i++) { b = nextBucket(b, period); starts.push(b); }
    for (const e of rows) {
      if (e.t < c0 || !stepMatch(spec.return || {}, e)) continue;
      const i = starts.findIndex((s, j) => e.t >= s && (j + 1 >= starts.length || e.t < starts[j + 1]));
      if (i >= 0 && !seen.has(i)) { seen.add(i); c.values[i]++; }
    }
    c.values[0] = c.size;
  }
  const list = [...cohorts.entries()].sort((a, b) => a[0] - b[0]).map(([s, c]) => {
    let n = 0; let b = s; while (b <= now && n <= periods) { b = nextBucket(b, period); n++; }
    const values = c.values.slice(0, n);
    return { start: localIso(s), size: c.size, values, rates: values.map((v) => v / c.size) };
  });
  const total = { size: list.reduce((a, c) => a + c.size, 0), values: Array(periods + 1).fill(0) };
  for (const c of list) c.values.forEach((v, i) => { total.values[i] += v; });
  total.rates = total.values.map((v, i) => { const base = list.filter((c) => c.values.length > i).reduce((a, c) => a + c.size, 0); return base ? v / base : null; });
  return { kind: 'retention', period, cohorts: list, total };
}

function paths(spec) {
  const depth = Number(spec.depth || 4);
  if (!(depth >= 2 && depth <= 8)) return { error: ['depth must be an integer from 2 to 8', 'depth'] };
  const r = rangeOf(spec);
  if (r.error) return r;
  const tl = timelines(spec, r.from, r.to);
  const exclude = new Set(spec.exclude || []);
  const counts = new Map();
  for (const [, rows0] of tl) {
    let rows = rows0.filter((e) => !exclude.has(e.event));
    if (spec.direction === 'backward') rows = [...rows].reverse();
    const i = rows.findIndex((e) => e.event === spec.event);
    if (i < 0) continue;
    const seq = [];
    for (const e of rows.slice(i)) {
      const name = spec.group_by ? String(propOf(e, spec.group_by.source, spec.group_by.property) ?? '$other') : e.event;
      if (spec.collapse_repeats && seq[seq.length - 1] === name) continue;
      seq.push(name);
      if (seq.length >= depth) break;
    }
    const key = JSON.stringify(seq);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const nodes = new Map(); const links = new Map();
  for (const [key, n] of counts) {
    const seq = JSON.parse(key);
    seq.forEach((name, i) => {
      const id = `${i}:${name}`;
      nodes.set(id, { id, step: i, name, count: (nodes.get(id)?.count || 0) + n });
      if (i > 0) { const lk = `${i - 1}:${seq[i - 1]}|${id}`; links.set(lk, (links.get(lk) || 0) + n); }
    });
  }
  const top = Number(spec.top || 10);
  return {
    kind: 'paths',
    nodes: [...nodes.values()],
    links: [...links.entries()].map(([k, count]) => { const [source, target] = k.split('|'); return { source, target, count }; }),
    paths: [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, count]) => ({ steps: JSON.parse(k), count })),
  };
}

function lifecycle(spec) {
  const interval = spec.interval || 'day';
  const r = rangeOf(spec);
  if (r.error) return r;
  const tl = timelines({ ...spec, filters: [...(spec.filters || [])] }, 0, now + 1);
  const buckets = [];
  for (let b = bucketStart(r.from, interval); b < r.to; b = nextBucket(b, interval)) buckets.push(b);
  const out = buckets.map((b) => ({ t: localIso(b), new: 0, returning: 0, resurrecting: 0, dormant: 0 }));
  for (const [, rows0] of tl) {
    const rows = rows0.filter((e) => isAny(spec.event) || e.event === spec.event);
    if (!rows.length) continue;
    const active = new Set(rows.map((e) => bucketStart(e.t, interval)));
    const first = bucketStart(rows[0].t, interval);
    buckets.forEach((b, i) => {
      const prev = i > 0 ? buckets[i - 1] : bucketStart(b - 1, interval);
      if (active.has(b)) {
        if (b === first) out[i].new++;
        else if (active.has(prev)) out[i].returning++;
        else out[i].resurrecting++;
      } else if (active.has(prev)) out[i].dormant--;
    });
  }
  return { kind: 'lifecycle', interval, buckets: out };
}

function stickiness(spec) {
  const interval = spec.interval || 'day';
  const r = rangeOf(spec);
  if (r.error) return r;
  const tl = timelines(spec, r.from, r.to);
  let n = 0; for (let b = bucketStart(r.from, interval); b < r.to; b = nextBucket(b, interval)) n++;
  const values = Array.from({ length: n }, (_, i) => ({ intervals: i + 1, count: 0 }));
  let total = 0;
  for (const [, rows] of tl) {
    const k = new Set(rows.filter((e) => isAny(spec.event) || e.event === spec.event).map((e) => bucketStart(e.t, interval))).size;
    if (k) { values[k - 1].count++; total++; }
  }
  return { kind: 'stickiness', interval, values, total };
}

const ROLE_LIST = ['user', 'evaluator', 'budget_holder', 'decision_maker', 'signer'];
function health(spec) {
  const days = Number(spec.days || 30);
  const from = now - days * DAY;
  const accs = accounts.map((a) => {
    const evs = events.filter((e) => e.account === a.id && Date.parse(e.timestamp) >= from);
    const people = persons.filter((p) => p.account === a.id);
    const activePeople = new Set(evs.map((e) => e.person));
    const last = evs.reduce((m, e) => (e.timestamp > m ? e.timestamp : m), '');
    const roles = new Set(people.filter((p) => activePeople.has(p.id)).map((p) => p.traits.role));
    const parts = {
      activity: { value: evs.length, score: Math.min(1, evs.length / 40), weight: 0.3 },
      seats: { value: activePeople.size, score: people.length ? activePeople.size / people.length : 0, weight: 0.2 },
      breadth: { value: new Set(evs.map((e) => e.event)).size, score: Math.min(1, new Set(evs.map((e) => e.event)).size / 8), weight: 0.2 },
      recency: { value: last ? Math.floor((now - Date.parse(last)) / DAY) : null, score: last ? Math.max(0, 1 - (now - Date.parse(last)) / (days * DAY)) : 0, weight: 0.2 },
      roles: { value: roles.size, score: roles.size / ROLE_LIST.length, weight: 0.1 },
    };
    const score = Math.round(1000 * Object.values(parts).reduce((s, p) => s + p.score * p.weight, 0)) / 10;
    return { account: a.id, name: `企业 ${a.id.slice(5)}`, industry: a.traits.industry, level: a.traits.level, score, parts, events: evs.length, last_active: last || null, reason: evs.length ? null : `no activity in the last ${days} days` };
  }).sort((x, y) => (spec.sort === 'score_desc' ? y.score - x.score : x.score - y.score));
  const offset = Number(spec.offset || 0);
  return { kind: 'health', days, roles: ROLE_LIST, accounts: accs.slice(offset, offset + Number(spec.limit || 100)), total: accs.length, offset };
}

function coverage(spec) {
  const days = Number(spec.days || 30);
  const from = now - days * DAY;
  const accs = accounts.map((a) => {
    const people = persons.filter((p) => p.account === a.id);
    const active = new Set(events.filter((e) => e.account === a.id && Date.parse(e.timestamp) >= from).map((e) => e.person));
    const roles = {};
    for (const r of ROLE_LIST) {
      const inRole = people.filter((p) => p.traits.role === r);
      roles[r] = { known: inRole.length, active: inRole.filter((p) => active.has(p.id)).length };
    }
    const missing2 = ROLE_LIST.filter((r) => roles[r].active === 0);
    return { account: a.id, name: `企业 ${a.id.slice(5)}`, industry: a.traits.industry, coverage: ROLE_LIST.filter((r) => roles[r].active > 0).length / ROLE_LIST.length, roles, missing: missing2, known_persons: people.length, active_persons: people.filter((p) => active.has(p.id)).length };
  }).sort((x, y) => (spec.sort === 'coverage_desc' ? y.coverage - x.coverage : x.coverage - y.coverage));
  const by_role = Object.fromEntries(ROLE_LIST.map((r) => [r, { accounts_with_known: accs.filter((a) => a.roles[r].known).length, accounts_with_active: accs.filter((a) => a.roles[r].active).length }]));
  const offset = Number(spec.offset || 0);
  return { kind: 'coverage', days, roles: ROLE_LIST, total: accs.length, offset, accounts: accs.slice(offset, offset + Number(spec.limit || 100)), summary: { accounts: accs.length, accounts_fully_covered: accs.filter((a) => a.coverage === 1).length, by_role } };
}

const KINDS = { trend, funnel, retention, paths, lifecycle, stickiness, health, coverage };
function runQuery(spec) {
  const fn = KINDS[spec.kind];
  if (!fn) return { error: [`unknown query kind: ${spec.kind}`, 'kind'] };
  return fn(spec);
}

// Export: the answer's main list as a table (a rough AnswerToTable).
function answerRows(a) {
  if (a.kind === 'trend') {
    const s = a.series || [];
    return (s[0]?.points || []).map((p, i) => Object.fromEntries([['t', p.t], ...s.map((x) => [x.label, x.points[i].value])]));
  }
  if (a.kind === 'funnel') return a.steps.map(({ time_to_convert, ...x }) => ({ ...x, median_ms: time_to_convert?.median_ms ?? '' }));
  if (a.kind === 'retention') return a.cohorts.map((c) => ({ start: c.start, size: c.size, ...Object.fromEntries(c.values.map((v, i) => [`values.${i}`, v])) }));
  if (a.kind === 'paths') return a.paths.map((p) => ({ path: p.steps.join(' → '), count: p.count }));
  if (a.kind === 'lifecycle') return a.buckets;
  if (a.kind === 'stickiness') return a.values;
  if (a.kind === 'health') return a.accounts.map(({ parts, ...x }) => x);
  if (a.kind === 'coverage') return a.accounts.map(({ roles, missing, ...x }) => ({ ...x, missing: missing.join(' ') }));
  return [];
}
function toCsv(rows) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const q = (v) => { const s = v === null || v === undefined ? '' : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return `\ufeff${[cols.join(','), ...rows.map((r) => cols.map((c) => q(r[c])).join(','))].join('\r\n')}\r\n`;
}

let dashboards = [];
let nextDashId = 1;
let nextChartId = 1;

function countBy(list, fn) {
  const m = new Map();
  for (const e of list) { const k = fn(e); if (k == null) continue; m.set(k, (m.get(k) || 0) + 1); }
  return [...m.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count);
}

// ---- server ------------------------------------------------------------
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  try {
    if (!p.startsWith('/api/')) {
      const file = p === '/' ? 'index.html' : p.startsWith('/assets/') ? p.slice(1) : null;
      const full = file && path.join(DIST, path.normalize(file));
      if (!full || !full.startsWith(DIST) || !fs.existsSync(full)) { res.writeHead(404); res.end('not found'); return; }
      res.writeHead(200, { 'Content-Type': MIME[path.extname(full)] || 'application/octet-stream' });
      fs.createReadStream(full).pipe(res);
      return;
    }
    if (p === '/api/login' && req.method === 'POST') {
      const b = await readBody(req);
      if (b.username !== 'admin' || b.password !== PASSWORD) return err(res, 401, 'unauthenticated', 'invalid username or password');
      const sid = crypto.randomBytes(16).toString('hex');
      sessions.add(sid);
      return send(res, 200, { user: { name: 'admin', role: 'admin' } }, { 'Set-Cookie': `tobops_session=${sid}; HttpOnly; SameSite=Strict; Path=/` });
    }
    if (!authed(req)) return err(res, 401, 'unauthenticated', 'login required');
    await new Promise((r) => setTimeout(r, 80)); // a little latency
    if (p === '/api/logout') return send(res, 200, { ok: true }, { 'Set-Cookie': 'tobops_session=; Max-Age=0; Path=/' });
    if (p === '/api/me') return send(res, 200, { user: { name: 'admin', role: 'admin' }, project: { id: 'default', name: 'Default', timezone: 'Asia/Shanghai' } });
    if (p === '/api/overview') {
      const days = Math.max(1, Math.min(365, Number(url.searchParams.get('days') || 30)));
      const from = dayStart(now) - (days - 1) * DAY;
      const list = events.filter((e) => Date.parse(e.timestamp) >= from);
      const perDay = [];
      for (let d = from; d <= now; d += DAY) perDay.push({ t: localIso(d), value: list.filter((e) => { const t = Date.parse(e.timestamp); return t >= d && t < d + DAY; }).length });
      return send(res, 200, {
        events: list.length,
        persons: new Set(list.map((e) => e.person)).size,
        accounts: new Set(list.map((e) => e.account).filter(Boolean)).size,
        events_per_day: perDay,
        top_events: countBy(list, (e) => e.event).slice(0, 10),
        top_channels: countBy(list, (e) => e.properties.channel || e.properties.utm_source).slice(0, 10),
      });
    }
    if (p === '/api/events') {
      const limit = Math.min(500, Number(url.searchParams.get('limit') || 50));
      const q = (url.searchParams.get('q') || '').toLowerCase();
      const ev = url.searchParams.get('event') || '';
      const before = url.searchParams.get('before');
      let start = before ? Number(before) : 0;
      const out = [];
      let i = start;
      for (; i < events.length && out.length < limit; i++) {
        const e = events[i];
        if (ev && e.event !== ev) continue;
        if (q && ![e.event, e.person, e.user_id, e.anonymous_id, e.account, e.message_id, ...Object.values(e.properties)].some((v) => v != null && String(v).toLowerCase().includes(q))) continue;
        out.push(e);
      }
      return send(res, 200, { events: out, next_before: i < events.length ? String(i) : null });
    }
    if (p === '/api/schema/events') {
      const m = new Map();
      for (const e of events) { const x = m.get(e.event) || { name: e.event, count: 0, last_seen: e.timestamp }; x.count++; if (e.timestamp > x.last_seen) x.last_seen = e.timestamp; m.set(e.event, x); }
      return send(res, 200, { events: [...m.values()].sort((a, b) => b.count - a.count) });
    }
    if (p === '/api/schema/properties') {
      const source = url.searchParams.get('source');
      if (!['event', 'person', 'account'].includes(source)) return err(res, 400, 'invalid_argument', 'source must be one of event, person, account', 'source');
      const objs = source === 'event' ? events.map((e) => e.properties) : source === 'person' ? persons.map((x) => x.traits) : accounts.map((x) => x.traits);
      const m = new Map();
      for (const o of objs) for (const k of Object.keys(o)) m.set(k, (m.get(k) || 0) + 1);
      return send(res, 200, { properties: [...m.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count) });
    }
    if (p === '/api/query' && req.method === 'POST') {
      let spec;
      try { spec = await readBody(req); } catch { return err(res, 400, 'invalid_argument', 'body is not JSON'); }
      const r = runQuery(spec);
      if (r.error) return err(res, 400, 'invalid_argument', r.error[0], r.error[1]);
      return send(res, 200, r);
    }

    if (p === '/api/query/export' && req.method === 'POST') {
      const format = url.searchParams.get('format') || 'csv';
      if (!['csv', 'xlsx'].includes(format)) return err(res, 400, 'invalid_argument', 'format must be csv or xlsx', 'format');
      let spec;
      try { spec = await readBody(req); } catch { return err(res, 400, 'invalid_argument', 'body is not JSON'); }
      const r = runQuery(spec);
      if (r.error) return err(res, 400, 'invalid_argument', r.error[0], r.error[1]);
      const name = `tobops-${spec.kind}.${format}`;
      // The mock has no XLSX writer: it sends the CSV bytes under the XLSX type.
      res.writeHead(200, {
        'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      });
      res.end(toCsv(answerRows(r)));
      return;
    }
    if (p === '/api/dashboards' && req.method === 'GET') return send(res, 200, { dashboards });
    if (p === '/api/dashboards' && req.method === 'POST') {
      const b = await readBody(req);
      if (typeof b.name !== 'string') return err(res, 400, 'invalid_argument', 'name must be a string', 'name');
      const d = { id: nextDashId++, name: b.name, created_at: new Date().toISOString(), charts: [] };
      dashboards.push(d);
      return send(res, 201, { dashboard: d });
    }
    let m = /^\/api\/dashboards\/(\d+)$/.exec(p);
    if (m && req.method === 'DELETE') {
      const n = dashboards.length;
      dashboards = dashboards.filter((d) => d.id !== Number(m[1]));
      return n === dashboards.length ? err(res, 404, 'not_found', 'no such dashboard') : send(res, 200, { ok: true });
    }
    m = /^\/api\/dashboards\/(\d+)\/charts$/.exec(p);
    if (m && req.method === 'POST') {
      const d = dashboards.find((x) => x.id === Number(m[1]));
      if (!d) return err(res, 404, 'not_found', 'no such dashboard');
      const b = await readBody(req);
      if (typeof b.title !== 'string') return err(res, 400, 'invalid_argument', 'title must be a string', 'title');
      if (!b.spec || !KINDS[b.spec.kind]) return err(res, 400, 'invalid_argument', 'spec.kind is not a known query kind', 'spec.kind');
      const c = { id: nextChartId++, title: b.title, spec: b.spec, position: d.charts.length };
      d.charts.push(c);
      return send(res, 201, { chart: c });
    }
    m = /^\/api\/dashboards\/(\d+)\/charts\/(\d+)$/.exec(p);
    if (m && req.method === 'DELETE') {
      const d = dashboards.find((x) => x.id === Number(m[1]));
      if (!d) return err(res, 404, 'not_found', 'no such dashboard');
      d.charts = d.charts.filter((c) => c.id !== Number(m[2]));
      return send(res, 200, { ok: true });
    }
    if (p === '/api/keys' && req.method === 'GET') return send(res, 200, { keys });
    if (p === '/api/keys' && req.method === 'POST') {
      const b = await readBody(req);
      if (!['write', 'read'].includes(b.kind)) return err(res, 400, 'invalid_argument', 'kind must be write or read', 'kind');
      if (!b.name) return err(res, 400, 'invalid_argument', 'name is required', 'name');
      const secret = `${b.kind === 'write' ? 'tbw_' : 'tbr_'}${crypto.randomBytes(18).toString('hex')}`;
      const k = { id: `k${keys.length + 1}`, kind: b.kind, name: b.name, prefix: secret.slice(0, 8), created_at: new Date().toISOString(), revoked_at: null };
      keys = [k, ...keys];
      return send(res, 200, { key: { ...k, secret } });
    }
    if (p.startsWith('/api/keys/') && req.method === 'DELETE') {
      const k = keys.find((x) => x.id === decodeURIComponent(p.slice(10)));
      if (!k) return err(res, 404, 'not_found', 'no such key');
      k.revoked_at = new Date().toISOString();
      return send(res, 200, { ok: true });
    }
    if (p === '/api/quarantine') {
      const limit = Number(url.searchParams.get('limit') || 100);
      const offset = Number(url.searchParams.get('offset') || 0);
      return send(res, 200, { total: quarantine.length, items: quarantine.slice(offset, offset + limit) });
    }
    if (p === '/api/tracking-plan' && req.method === 'GET') return send(res, 200, plan);
    if (p === '/api/tracking-plan' && req.method === 'PUT') {
      const b = await readBody(req);
      if (!['accept_all', 'flag', 'quarantine'].includes(b.mode)) return err(res, 400, 'invalid_argument', 'mode must be one of accept_all, flag, quarantine', 'mode');
      for (const [i, e] of (b.events || []).entries()) if (!e.name) return err(res, 400, 'invalid_argument', `events[${i}].name is empty`, `events[${i}].name`);
      plan = b;
      return send(res, 200, plan);
    }
    if (p === '/api/tracking-plan/report') {
      const planned = new Map(plan.events.map((e) => [e.name, e]));
      const names = new Set([...planned.keys(), ...events.map((e) => e.event)]);
      const rows = [...names].map((name) => {
        const list = events.filter((e) => e.event === name);
        const pe = planned.get(name);
        const propNames = new Set([...(pe ? pe.properties.map((x) => x.name) : []), ...list.flatMap((e) => Object.keys(e.properties))]);
        const violations = pe ? Math.floor(list.length * 0.03) : 0;
        return {
          name, planned: !!pe, seen: list.length, last_seen: list[0]?.timestamp ?? null, violations,
          last_violation: violations ? { at: list[1].timestamp, message: 'channel must be one of website, sem, video' } : null,
          properties: [...propNames].map((pn) => ({ name: pn, planned: !!pe?.properties.some((x) => x.name === pn), seen: list.filter((e) => pn in e.properties).length })),
        };
      }).sort((a, b) => b.seen - a.seen);
      return send(res, 200, { mode: plan.mode, events: rows });
    }
    return err(res, 404, 'not_found', `no route ${req.method} ${p}`);
  } catch (e) {
    return err(res, 500, 'internal', String(e && e.message));
  }
});

server.listen(PORT, '127.0.0.1', () => {
  console.log(`mock tobops on http://127.0.0.1:${PORT} (admin password: ${PASSWORD})`);
});
