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
  logged_at TIMESTAMP NOT NULL
);

-- query, 0 parameter(s)
SELECT s."crm_id" AS "crm_id", s."score" AS "score", s."tier" AS "tier",
  NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '') AS __tide_key,
  COUNT(*) OVER (PARTITION BY NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '')) AS __tide_rows,
  p.value_hash AS __tide_hash,
  p.values_json AS __tide_values,
  p.failures AS __tide_failures,
  p.crm_id AS __tide_crm_id
FROM analytics.scores AS s
LEFT JOIN (
  SELECT record_key, value_hash, values_json, failures, crm_id
  FROM tide.pushed
  WHERE sync = 'duck_scores'
  QUALIFY ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY version DESC) = 1
) AS p ON p.record_key = NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '');

-- query, 1 parameter(s)
DELETE FROM tide.pushed AS p
WHERE p.sync = ? AND EXISTS (
  SELECT 1 FROM tide.pushed AS q
  WHERE q.sync = p.sync AND q.record_key = p.record_key AND q.version > p.version
);

-- query, 1 parameter(s)
DELETE FROM tide.push_log WHERE logged_at < CAST(? AS TIMESTAMP);
