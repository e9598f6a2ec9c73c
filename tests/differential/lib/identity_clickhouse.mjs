// Identity resolution in ClickHouse 18.16 SQL, from the raw messages (table `raw`, see
// segment_rows.mjs), independently of tobops. Builds the table `ev`: one row per message
// with its canonical person, its account, the account's industry and the person's role
// (current traits), and the local day (Asia/Shanghai).
//
// The rules are tobops' (docs/analytics.md "Events, persons, accounts",
// ingest/identity_graph.cc), restated:
// - person: userId; else the userId that the anonymousId was ever joined to (any message
//   carrying both ids, or an alias previousId → userId), at query time, so history
//   before the join counts for the person; else 'anon:' + anonymousId.
// - account: the group call's groupId; else context.groupId; else the account of the
//   person *when the message arrived*: the latest group call, or identify with
//   context.groupId, of that person before it in the stream — where an anonymous-only
//   message belongs to a user only if its anonymousId was joined before it arrived.
// - account industry: the latest `industry` trait of the account's group calls;
//   person role: the latest `role` trait of the person's identify calls.
// The general union-find (user → user merges, one anonymous id joined to two users,
// anonymous-only identify/group calls with traits or accounts) is not modelled;
// checkClickHouseIdentity() verifies the data has none of them, so the simple mapping
// above is exactly tobops' rule on this data.
//
// 18.16 has no window functions, no ASOF JOIN and no named subqueries, so the "latest
// account before this message" is an array lookup: per user, the sorted arrival numbers
// of their account-setting messages, and arrayCount(x -> x < seq) picks the latest one.
import { clickhouseRawDdl, convertNdjsonToCsv } from './segment_rows.mjs';

export const IDENTITY_SQL = [
  'DROP TABLE IF EXISTS anon_link',
  `CREATE TABLE anon_link ENGINE = MergeTree ORDER BY anonymous_id AS
   SELECT anonymous_id, any(uid) AS linked_user, uniqExact(uid) AS linked_users, min(seq) AS link_seq
   FROM (
     SELECT anonymous_id, user_id AS uid, seq FROM raw WHERE anonymous_id != '' AND user_id != ''
     UNION ALL
     SELECT previous_id AS anonymous_id, user_id AS uid, seq FROM raw
     WHERE type = 'alias' AND previous_id != '' AND user_id != ''
   ) GROUP BY anonymous_id`,

  'DROP TABLE IF EXISTS acct_hist',
  `CREATE TABLE acct_hist ENGINE = MergeTree ORDER BY arrival_user AS
   SELECT uid AS arrival_user, arraySort(raw_seqs) AS seqs, arraySort((a, s) -> s, raw_accts, raw_seqs) AS accts
   FROM (
     SELECT user_id AS uid, groupArray(seq) AS raw_seqs,
            groupArray(if(type = 'group', group_id, ctx_group_id)) AS raw_accts
     FROM raw
     WHERE user_id != '' AND (type = 'group' OR (type = 'identify' AND ctx_group_id != ''))
     GROUP BY user_id)`,

  'DROP TABLE IF EXISTS ev_base',
  `CREATE TABLE ev_base ENGINE = MergeTree ORDER BY seq AS
   SELECT seq, type, event, ts_ms, group_id, ctx_group_id, channel, plan, method, feature, path,
          content_type, amount, has_amount, trait_role, trait_industry,
          if(user_id != '', user_id, if(linked_user != '', linked_user, concat('anon:', anonymous_id))) AS person,
          if(user_id != '', user_id, if(linked_user != '' AND link_seq < seq, linked_user, '')) AS arrival_user
   FROM raw ANY LEFT JOIN anon_link USING anonymous_id`,

  'DROP TABLE IF EXISTS ev_acct',
  `CREATE TABLE ev_acct ENGINE = MergeTree ORDER BY seq AS
   SELECT seq, type, event, ts_ms, channel, plan, method, feature, path, content_type, amount,
          has_amount, trait_role, trait_industry, person,
          multiIf(type = 'group', group_id,
                  ctx_group_id != '', ctx_group_id,
                  arrayCount(x -> x < seq, seqs) = 0, '',
                  accts[arrayCount(x -> x < seq, seqs)]) AS account
   FROM ev_base ANY LEFT JOIN acct_hist USING arrival_user`,

  'DROP TABLE IF EXISTS account_traits',
  `CREATE TABLE account_traits ENGINE = MergeTree ORDER BY account AS
   SELECT account, argMax(trait_industry, seq) AS industry FROM ev_acct
   WHERE type = 'group' AND trait_industry != '' GROUP BY account`,

  'DROP TABLE IF EXISTS person_traits',
  `CREATE TABLE person_traits ENGINE = MergeTree ORDER BY person AS
   SELECT person, argMax(trait_role, seq) AS role FROM ev_acct
   WHERE type = 'identify' AND trait_role != '' GROUP BY person`,

  'DROP TABLE IF EXISTS ev',
  `CREATE TABLE ev ENGINE = MergeTree ORDER BY (person, ts_ms, seq) AS
   SELECT seq, type, event, ts_ms, toDate(toDateTime(intDiv(ts_ms, 1000)), 'Asia/Shanghai') AS day,
          person, account, industry, role, channel, plan, method, feature, path, content_type,
          amount, has_amount
   FROM (SELECT * FROM ev_acct ANY LEFT JOIN account_traits USING account)
   ANY LEFT JOIN person_traits USING person`,
];

// Checks that nothing in the data needs more than the mapping above.
export const IDENTITY_CHECKS = [
  { what: 'anonymous ids joined to more than one user (tobops would merge those users)',
    sql: 'SELECT count() AS n FROM anon_link WHERE linked_users > 1' },
  { what: 'alias calls whose previousId is a user id (user → user merge)',
    sql: "SELECT count() AS n FROM raw WHERE type = 'alias' AND previous_id IN (SELECT user_id FROM raw WHERE user_id != '')" },
  { what: 'identify/group calls without a userId (anonymous traits or accounts)',
    sql: "SELECT count() AS n FROM raw WHERE type IN ('identify', 'group') AND user_id = ''" },
  { what: 'messages with neither userId nor anonymousId',
    sql: "SELECT count() AS n FROM ev_base WHERE person = 'anon:'" },
];

export async function resolveIdentityClickHouse(ch) {
  for (const sql of IDENTITY_SQL) await ch.exec(sql);
  const problems = [];
  for (const check of IDENTITY_CHECKS) {
    const [{ n }] = await ch.rows(check.sql);
    if (Number(n) !== 0) problems.push(`${n} ${check.what}`);
  }
  if (problems.length) {
    throw new Error('the data needs identity rules the ClickHouse model does not implement: ' +
      problems.join('; '));
  }
  const [stats] = await ch.rows(`SELECT count() AS events, uniqExact(person) AS persons,
    uniqExactIf(account, account != '') AS accounts, countIf(account = '') AS without_account FROM ev`);
  return stats;
}

// The whole ClickHouse side of a data set: NDJSON → CSV (csvPath) → table `raw` →
// identity resolution → `ev`. Returns {rows, seconds: {csv, load, identity}, stats}.
export async function loadClickHouse(ch, ndjsonPath, csvPath, progress = () => {}) {
  const t0 = Date.now();
  const rows = convertNdjsonToCsv(ndjsonPath, csvPath, (n, f) => progress(`csv: ${n} rows (${Math.round(f * 100)}%)`));
  const t1 = Date.now();
  await ch.exec('DROP TABLE IF EXISTS raw');
  await ch.exec(clickhouseRawDdl('raw'));
  await ch.insertCsvFile('raw', csvPath);
  const t2 = Date.now();
  const stats = await resolveIdentityClickHouse(ch);
  const t3 = Date.now();
  return { rows, stats, seconds: { csv: (t1 - t0) / 1000, load: (t2 - t1) / 1000, identity: (t3 - t2) / 1000 } };
}
