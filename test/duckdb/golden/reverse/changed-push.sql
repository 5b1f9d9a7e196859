-- query, 0 parameter(s)
SELECT s."crm_id", s."score", s."tier" FROM analytics.scores AS s LIMIT 0;

-- execute, 0 parameter(s)
CREATE TABLE IF NOT EXISTS tide.pushed (
  sync VARCHAR NOT NULL,
  record_key VARCHAR NOT NULL,
  crm_id VARCHAR,
  value_hash VARCHAR,
  values_json VARCHAR,
  failures INTEGER NOT NULL,
  last_reason VARCHAR,
  run_id VARCHAR NOT NULL,
  version BIGINT NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- execute, 0 parameter(s)
CREATE TABLE IF NOT EXISTS tide.push_log (
  run_id VARCHAR NOT NULL,
  sync VARCHAR NOT NULL,
  record_key VARCHAR,
  crm_id VARCHAR,
  status VARCHAR NOT NULL,
  reason VARCHAR,
  attempt INTEGER NOT NULL,
  logged_at TIMESTAMP NOT NULL,
  call_id VARCHAR,
  value_hash VARCHAR
);

-- execute, 0 parameter(s)
ALTER TABLE tide.push_log ADD COLUMN IF NOT EXISTS call_id VARCHAR;

-- execute, 0 parameter(s)
ALTER TABLE tide.push_log ADD COLUMN IF NOT EXISTS value_hash VARCHAR;

-- execute, 0 parameter(s)
CREATE TABLE IF NOT EXISTS tide.push_conflicts (
  run_id VARCHAR NOT NULL,
  sync VARCHAR NOT NULL,
  record_key VARCHAR NOT NULL,
  crm_id VARCHAR,
  field VARCHAR NOT NULL,
  crm_value VARCHAR,
  pushed_value VARCHAR,
  new_value VARCHAR,
  rule VARCHAR NOT NULL,
  outcome VARCHAR NOT NULL,
  seen_in VARCHAR NOT NULL,
  logged_at TIMESTAMP NOT NULL
);

-- query, 1 parameter(s)
SELECT i.run_id, i.call_id, i.record_key, i.crm_id, i.value_hash, i.attempt, p.value_hash AS pushed_hash
FROM tide.push_log AS i
LEFT JOIN (
  SELECT record_key, value_hash, values_json, failures, crm_id, updated_at
  FROM tide.pushed
  WHERE sync = 'duck_scores'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1
) AS p ON p.record_key = i.record_key
WHERE i.sync = ? AND i.status = 'sending' AND NOT EXISTS (
  SELECT 1 FROM tide.push_log AS o
  WHERE o.sync = i.sync AND o.call_id = i.call_id AND o.record_key = i.record_key AND o.status <> 'sending'
)
ORDER BY i.logged_at, i.call_id, i.record_key;

-- query, 0 parameter(s)
SELECT s."crm_id" AS "crm_id", s."score" AS "score", s."tier" AS "tier",
  NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '') AS __tide_key,
  COUNT(*) OVER (PARTITION BY NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '')) AS __tide_rows,
  p.value_hash AS __tide_hash,
  p.values_json AS __tide_values,
  p.failures AS __tide_failures,
  p.crm_id AS __tide_crm_id,
  p.updated_at AS __tide_pushed_at
FROM analytics.scores AS s
LEFT JOIN (
  SELECT record_key, value_hash, values_json, failures, crm_id, updated_at
  FROM tide.pushed
  WHERE sync = 'duck_scores'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1
) AS p ON p.record_key = NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '');

-- query, 4 parameter(s)
INSERT INTO tide.push_log (run_id, sync, record_key, crm_id, status, reason, attempt, logged_at, call_id, value_hash)
SELECT ?, ?, j.k, j.c, j.s, j.r, j.a, CAST(? AS TIMESTAMP), j.i, j.h
FROM (SELECT unnest(from_json(?, '[{"k":"VARCHAR","c":"VARCHAR","s":"VARCHAR","r":"VARCHAR","a":"INTEGER","i":"VARCHAR","h":"VARCHAR"}]'), recursive := true)) AS j;

-- query, 5 parameter(s)
INSERT INTO tide.pushed (sync, record_key, crm_id, value_hash, values_json, failures, last_reason, run_id, version, updated_at)
SELECT ?, j.k, j.c, j.h, j.v, j.f, j.r, ?, ?, CAST(? AS TIMESTAMP)
FROM (SELECT unnest(from_json(?, '[{"k":"VARCHAR","c":"VARCHAR","h":"VARCHAR","v":"VARCHAR","f":"INTEGER","r":"VARCHAR"}]'), recursive := true)) AS j;

-- query, 4 parameter(s)
INSERT INTO tide.push_log (run_id, sync, record_key, crm_id, status, reason, attempt, logged_at, call_id, value_hash)
SELECT ?, ?, j.k, j.c, j.s, j.r, j.a, CAST(? AS TIMESTAMP), j.i, j.h
FROM (SELECT unnest(from_json(?, '[{"k":"VARCHAR","c":"VARCHAR","s":"VARCHAR","r":"VARCHAR","a":"INTEGER","i":"VARCHAR","h":"VARCHAR"}]'), recursive := true)) AS j;

-- query, 1 parameter(s)
DELETE FROM tide.pushed AS p
WHERE p.sync = ? AND EXISTS (
  SELECT 1 FROM tide.pushed AS q
  WHERE q.sync = p.sync AND q.record_key = p.record_key AND q.version > p.version
);

-- query, 1 parameter(s)
DELETE FROM tide.push_log WHERE logged_at < CAST(? AS TIMESTAMP);

-- query, 1 parameter(s)
DELETE FROM tide.push_conflicts WHERE logged_at < CAST(? AS TIMESTAMP);
