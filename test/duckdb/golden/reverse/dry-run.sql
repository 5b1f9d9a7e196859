-- query, 0 parameter(s)
SELECT s."crm_id", s."score", s."tier" FROM analytics.scores AS s LIMIT 0;

-- query, 0 parameter(s)
SELECT record_key FROM tide.pushed LIMIT 0;

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
LEFT JOIN (SELECT CAST(NULL AS VARCHAR) AS record_key, CAST(NULL AS VARCHAR) AS value_hash, CAST(NULL AS VARCHAR) AS values_json, CAST(NULL AS INTEGER) AS failures, CAST(NULL AS VARCHAR) AS crm_id, CAST(NULL AS TIMESTAMP) AS updated_at LIMIT 0) AS p ON p.record_key = NULLIF(TRIM(CAST(s."crm_id" AS VARCHAR)), '');
