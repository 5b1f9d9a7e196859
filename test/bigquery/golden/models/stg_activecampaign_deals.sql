-- staging/stg_activecampaign_deals.sql: first build (incremental)

CREATE OR REPLACE TABLE `acme-analytics`.`staging`.`stg_activecampaign_deals` AS
-- ActiveCampaign deals: status 0 open, 1 won, 2 lost; value in cents; the primary contact and account.
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.title), '') as name,
    s.value / 100 as amount,
    s.stage,
    case trim(s.status) when '1' then 'won' when '2' then 'lost' else 'open' end as status,
    cast(null as TIMESTAMP) as close_date,
    nullif(trim(s.contact), '') as contact_crm_id,
    s._tide_source || ':accounts:' || nullif(trim(s.account), '') as company_record_key,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `title` AS `title`, `value` AS `value`, `status` AS `status`, `stage` AS `stage`, `contact` AS `contact`, `account` AS `account`, `cdate` AS `cdate`, `mdate` AS `mdate` FROM `acme-analytics`.`raw`.`activecampaign__deals`) as s
  where TRUE
)
select
  typed.*,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) as record_id,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(company_record_key)), 1, 15)) AS INT64) as company_record_id,
  case when contact_crm_id is not null then CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(source_name || ':contacts:' || contact_crm_id)), 1, 15)) AS INT64) end as person_record_id
from typed;

-- staging/stg_activecampaign_deals.sql: later build, merging into the existing table

MERGE INTO `acme-analytics`.`staging`.`stg_activecampaign_deals` AS t
USING (
-- ActiveCampaign deals: status 0 open, 1 won, 2 lost; value in cents; the primary contact and account.
with typed as (
  select
    s._tide_source || ':deals:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'deals' as object,
    s._tide_id as crm_id,
    nullif(trim(s.title), '') as name,
    s.value / 100 as amount,
    s.stage,
    case trim(s.status) when '1' then 'won' when '2' then 'lost' else 'open' end as status,
    cast(null as TIMESTAMP) as close_date,
    nullif(trim(s.contact), '') as contact_crm_id,
    s._tide_source || ':accounts:' || nullif(trim(s.account), '') as company_record_key,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `title` AS `title`, `value` AS `value`, `status` AS `status`, `stage` AS `stage`, `contact` AS `contact`, `account` AS `account`, `cdate` AS `cdate`, `mdate` AS `mdate` FROM `acme-analytics`.`raw`.`activecampaign__deals`) as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX(`loaded_at`) FROM `acme-analytics`.`staging`.`stg_activecampaign_deals`), TRUE)
)
select
  typed.*,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) as record_id,
  CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(company_record_key)), 1, 15)) AS INT64) as company_record_id,
  case when contact_crm_id is not null then CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(source_name || ':contacts:' || contact_crm_id)), 1, 15)) AS INT64) end as person_record_id
from typed
) AS s
ON t.`record_key` = s.`record_key`
WHEN MATCHED THEN UPDATE SET `loaded_at` = s.`loaded_at`
WHEN NOT MATCHED THEN INSERT (`record_key`, `loaded_at`) VALUES (s.`record_key`, s.`loaded_at`);
