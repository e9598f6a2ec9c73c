// Question 6 (account health) for the peers: only the activity figures SQL can state —
// per account events, active persons, active person-days, last activity and features
// used over the window, and how many accounts are listed (see
// tests/differential/lib/ch_health.mjs, which defines them and is the ClickHouse side).
// tobops' score and its seats / roles parts are not compared.
import { checkHealthSpec, healthClickHouse as healthCh, healthFigures as figures,
  healthWindow, tobopsHealthFigures as tobopsFigures } from '../../tests/differential/lib/ch_health.mjs';

export const healthClickHouse = healthCh;

export async function healthDuckDB(db, spec) {
  checkHealthSpec(spec);
  const { first, nowMs } = healthWindow(spec.days ?? 30);
  const where = `account <> '' AND event NOT IN ('$identify', '$group', '$alias') AND day >= DATE '${first}' AND ts_ms <= ${nowMs}`;
  const accounts = await db.rows(`SELECT account, count(*) AS events, count(DISTINCT person) AS persons,
      count(DISTINCT (person, day)) AS person_days, max(ts_ms) // 1000 AS last_s,
      count(DISTINCT feature) FILTER (WHERE event = 'feature_used' AND feature <> '') AS features
    FROM ev WHERE ${where} GROUP BY account`);
  const [{ total, features_any }] = await db.rows(`SELECT
      (SELECT count(DISTINCT a) FROM (SELECT account AS a FROM ev WHERE ${where}
                                       UNION ALL SELECT account FROM ev WHERE type = 'group')) AS total,
      (SELECT count(DISTINCT feature) FROM ev WHERE ${where} AND event = 'feature_used' AND feature <> '') AS features_any`);
  return { accounts, total: Number(total), features_any: Number(features_any) };
}

export const healthFigures = figures;
export const tobopsHealthFigures = tobopsFigures;
