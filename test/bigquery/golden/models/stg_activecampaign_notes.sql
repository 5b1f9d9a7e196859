-- staging/stg_activecampaign_notes.sql: first build (incremental)

CREATE OR REPLACE TABLE `acme-analytics`.`staging`.`stg_activecampaign_notes` AS
-- ActiveCampaign notes on contacts (reltype Subscriber, ActiveCampaign's own name for a contact) are
-- the activities that count for engagement; notes on deals and accounts have no person.
with typed as (
  select
    s._tide_source || ':notes:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'notes' as object,
    s._tide_id as crm_id,
    'note' as activity_type,
    coalesce(s.cdate, s._tide_updated_at) as occurred_at,
    case when s.reltype = 'Subscriber' and nullif(trim(s.relid), '') is not null then s._tide_source || ':contacts:' || trim(s.relid) end as person_record_key,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `relid` AS `relid`, `reltype` AS `reltype`, `cdate` AS `cdate`, `mdate` AS `mdate` FROM `acme-analytics`.`raw`.`activecampaign__notes`) as s
  where TRUE
)
select
  record_key,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(person_record_key)), 1, 15)) AS INT64) as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed;

-- staging/stg_activecampaign_notes.sql: later build, merging into the existing table

MERGE INTO `acme-analytics`.`staging`.`stg_activecampaign_notes` AS t
USING (
-- ActiveCampaign notes on contacts (reltype Subscriber, ActiveCampaign's own name for a contact) are
-- the activities that count for engagement; notes on deals and accounts have no person.
with typed as (
  select
    s._tide_source || ':notes:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'notes' as object,
    s._tide_id as crm_id,
    'note' as activity_type,
    coalesce(s.cdate, s._tide_updated_at) as occurred_at,
    case when s.reltype = 'Subscriber' and nullif(trim(s.relid), '') is not null then s._tide_source || ':contacts:' || trim(s.relid) end as person_record_key,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `relid` AS `relid`, `reltype` AS `reltype`, `cdate` AS `cdate`, `mdate` AS `mdate` FROM `acme-analytics`.`raw`.`activecampaign__notes`) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX(`loaded_at`) FROM `acme-analytics`.`staging`.`stg_activecampaign_notes`), TRUE)
)
select
  record_key,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(person_record_key)), 1, 15)) AS INT64) as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed
) AS s
ON t.`record_key` = s.`record_key`
WHEN MATCHED THEN UPDATE SET `loaded_at` = s.`loaded_at`
WHEN NOT MATCHED THEN INSERT (`record_key`, `loaded_at`) VALUES (s.`record_key`, s.`loaded_at`);
