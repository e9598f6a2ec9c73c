// The parts of the health kind (docs/analytics/health.md, query/account_activity.h) that
// are plain SQL over `ev`: per account, over the window (the `days` local days ending
// today, up to now), the activity events (every event of the account except $identify,
// $group and $alias), the distinct active persons, the distinct (person, local day)
// pairs, the last activity (whole seconds) and the distinct `feature` values of
// feature_used events; plus the number of accounts listed (those with activity in the
// window, and every account a group call named) and the features used by any account.
// Not compared: the score and its seats / roles / recency parts (they need the seats
// trait and each person's current account and role; recency follows from last activity).
import { sqlString } from './ch_filters.mjs';

// Today's local day (Asia/Shanghai, UTC+8, no DST) and the window's first day.
export function healthWindow(days, nowMs = Date.now()) {
  const day = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);
  const today = day(nowMs);
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86400000).toISOString().slice(0, 10);
  return { today, first, nowMs };
}

export function checkHealthSpec(spec) {
  for (const key of ['filters', 'feature', 'features', 'roles', 'weights']) {
    if (spec[key] !== undefined) throw new Error(`health ${key} is not modelled`);
  }
}

const ACTIVITY = "event NOT IN ('$identify', '$group', '$alias')";

// Returns {accounts: [{account, events, persons, person_days, last_s, features}], total, features_any}.
export async function healthClickHouse(ch, spec) {
  checkHealthSpec(spec);
  const { first, nowMs } = healthWindow(spec.days ?? 30);
  const where = `account != '' AND ${ACTIVITY} AND day >= toDate(${sqlString(first)}) AND ts_ms <= ${nowMs}`;
  const accounts = await ch.rows(`SELECT account, count() AS events, uniqExact(person) AS persons,
      uniqExact(person, day) AS person_days, intDiv(max(ts_ms), 1000) AS last_s,
      uniqExactIf(feature, event = 'feature_used' AND feature != '') AS features
    FROM ev WHERE ${where} GROUP BY account`);
  const [{ total, features_any }] = await ch.rows(`SELECT
      (SELECT uniqExact(a) FROM (SELECT account AS a FROM ev WHERE ${where}
                                  UNION ALL SELECT account AS a FROM ev WHERE type = 'group')) AS total,
      (SELECT uniqExact(feature) FROM ev WHERE ${where} AND event = 'feature_used' AND feature != '') AS features_any`);
  return { accounts, total: Number(total), features_any: Number(features_any) };
}

export function healthFigures(answer) {
  const out = [['accounts listed', answer.total], ['features used by any account', answer.features_any]];
  for (const a of answer.accounts) {
    out.push([`${a.account} · events`, Number(a.events)], [`${a.account} · active persons`, Number(a.persons)],
      [`${a.account} · active person-days`, Number(a.person_days)],
      [`${a.account} · last activity (s)`, Number(a.last_s)], [`${a.account} · features used`, Number(a.features)]);
  }
  return out;
}

export function tobopsHealthFigures(spec, answer) {
  if (answer.accounts.length !== answer.total) {
    throw new Error(`tobops listed ${answer.accounts.length} of ${answer.total} accounts: raise the spec's limit`);
  }
  const out = [['accounts listed', answer.total], ['features used by any account', answer.features ? answer.features.total : 0]];
  for (const a of answer.accounts) {
    out.push([`${a.account} · events`, a.events], [`${a.account} · active persons`, a.parts.activity.active_persons],
      [`${a.account} · active person-days`, a.parts.activity.active_person_days],
      [`${a.account} · last activity (s)`, a.last_active ? Date.parse(a.last_active) / 1000 : 0],
      [`${a.account} · features used`, a.parts.breadth.value]);
  }
  return out;
}
