// Identity resolution in DuckDB SQL: the same rules, from the same raw CSV, as the
// ClickHouse model of the differential test (tests/differential/lib/identity_clickhouse.mjs,
// which states them). DuckDB has window functions and ASOF JOIN, so "the person's
// latest account-setting message before this one" is an ASOF JOIN on arrival number.
// Builds the table `ev` with the same columns as ClickHouse's.
// Local days: Asia/Shanghai has had no DST since 1991, so day = UTC ms + 8 h, floored
// (no ICU time-zone extension needed).
import { COLUMNS, duckdbRawDdl } from '../../tests/differential/lib/segment_rows.mjs';
import { IDENTITY_CHECKS } from '../../tests/differential/lib/identity_clickhouse.mjs';

export function duckdbLoadSql(csvPath) {
  const quoted = csvPath.replace(/'/g, "''");
  return [
    'DROP TABLE IF EXISTS raw',
    duckdbRawDdl('raw'),
    // Empty fields are empty strings (the CSV never writes NULL).
    `COPY raw FROM '${quoted}' (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '\\N')`,
  ];
}

export const DUCKDB_IDENTITY_SQL = [
  `CREATE OR REPLACE TABLE anon_link AS
   SELECT anonymous_id, min(uid) AS linked_user, count(DISTINCT uid) AS linked_users, min(seq) AS link_seq
   FROM (
     SELECT anonymous_id, user_id AS uid, seq FROM raw WHERE anonymous_id <> '' AND user_id <> ''
     UNION ALL
     SELECT previous_id, user_id, seq FROM raw WHERE type = 'alias' AND previous_id <> '' AND user_id <> ''
   ) GROUP BY anonymous_id`,
  `CREATE OR REPLACE TABLE setters AS
   SELECT user_id AS arrival_user, seq AS set_seq,
          CASE WHEN type = 'group' THEN group_id ELSE ctx_group_id END AS acct
   FROM raw WHERE user_id <> '' AND (type = 'group' OR (type = 'identify' AND ctx_group_id <> ''))`,
  `CREATE OR REPLACE TABLE ev_base AS
   SELECT r.*,
          CASE WHEN r.user_id <> '' THEN r.user_id
               WHEN l.linked_user IS NOT NULL THEN l.linked_user
               ELSE 'anon:' || r.anonymous_id END AS person,
          CASE WHEN r.user_id <> '' THEN r.user_id
               WHEN l.linked_user IS NOT NULL AND l.link_seq < r.seq THEN l.linked_user
               ELSE '' END AS arrival_user
   FROM raw r LEFT JOIN anon_link l ON l.anonymous_id = r.anonymous_id`,
  // Only messages without a group of their own look up the person's account.
  `CREATE OR REPLACE TABLE ev_acct AS
   SELECT *, CASE WHEN type = 'group' THEN group_id ELSE ctx_group_id END AS account FROM ev_base
   WHERE type = 'group' OR ctx_group_id <> ''
   UNION ALL
   SELECT b.*, coalesce(s.acct, '') AS account
   FROM (SELECT * FROM ev_base WHERE type <> 'group' AND ctx_group_id = '') b
   ASOF LEFT JOIN setters s ON b.arrival_user = s.arrival_user AND b.seq > s.set_seq`,
  `CREATE OR REPLACE TABLE account_traits AS
   SELECT account, arg_max(trait_industry, seq) AS industry FROM ev_acct
   WHERE type = 'group' AND trait_industry <> '' GROUP BY account`,
  `CREATE OR REPLACE TABLE person_traits AS
   SELECT person, arg_max(trait_role, seq) AS role FROM ev_acct
   WHERE type = 'identify' AND trait_role <> '' GROUP BY person`,
  `CREATE OR REPLACE TABLE ev AS
   SELECT a.seq, a.type, a.event, a.ts_ms,
          DATE '1970-01-01' + CAST((a.ts_ms + 28800000) // 86400000 AS INTEGER) AS day,
          a.person, a.account, coalesce(t.industry, '') AS industry, coalesce(p.role, '') AS role,
          a.channel, a.plan, a.method, a.feature, a.path, a.content_type, a.amount, a.has_amount
   FROM ev_acct a LEFT JOIN account_traits t ON t.account = a.account
   LEFT JOIN person_traits p ON p.person = a.person
   ORDER BY a.person, a.ts_ms, a.seq`,
];

// The ClickHouse checks, in DuckDB's dialect where it differs.
export const DUCKDB_IDENTITY_CHECKS = IDENTITY_CHECKS.map((c) => ({
  what: c.what,
  sql: c.sql.replace(/count\(\)/g, 'count(*)'),
}));

export { COLUMNS };
