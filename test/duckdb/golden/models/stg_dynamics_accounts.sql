-- staging/stg_dynamics_accounts.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_dynamics_accounts" AS
-- Dynamics 365 accounts: the companies of contacts and opportunities (industry is a choice column:
-- its label, not its number).
with typed as (
  select
    s._tide_source || ':accounts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'accounts' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    NULLIF(regexp_extract(LOWER(trim(s.websiteurl, ' ' || chr(9) || chr(10) || chr(13))), '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#:]|$)', 1), '') as domain_any,
    nullif(trim(s.industrycode_label), '') as industry,
    s.numberofemployees as employees,
    s.revenue as annual_revenue,
    nullif(trim(s.address1_city), '') as city,
    nullif(trim(s.address1_country), '') as country,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "name" AS "name", "websiteurl" AS "websiteurl", "industrycode_label" AS "industrycode_label", "numberofemployees" AS "numberofemployees", "revenue" AS "revenue", "address1_city" AS "address1_city", "address1_country" AS "address1_country", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__accounts") as s
  where TRUE
)
select
  record_key, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id, source_name, crm, object, crm_id, name,
  CASE WHEN COALESCE(domain_any IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE domain_any END as domain,
  NULLIF(TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g')), '') as name_key,
  industry, CASE WHEN NULLIF(TRIM(UPPER(industry)), '') IS NULL THEN NULL WHEN UPPER(industry) LIKE '%SOFTWARE%' OR UPPER(industry) LIKE '%TECHNOLOG%' OR UPPER(industry) LIKE '%COMPUTER%' OR UPPER(industry) LIKE '%INTERNET%' OR UPPER(industry) LIKE '%SAAS%' OR UPPER(industry) LIKE '%INFORMATION%' THEN 'Software' WHEN UPPER(industry) LIKE '%FINANC%' OR UPPER(industry) LIKE '%BANK%' OR UPPER(industry) LIKE '%INSURANCE%' OR UPPER(industry) LIKE '%INVEST%' OR UPPER(industry) LIKE '%CAPITAL%' THEN 'Finance' WHEN UPPER(industry) LIKE '%HEALTH%' OR UPPER(industry) LIKE '%HOSPITAL%' OR UPPER(industry) LIKE '%MEDIC%' OR UPPER(industry) LIKE '%PHARMA%' OR UPPER(industry) LIKE '%BIOTECH%' THEN 'Healthcare' WHEN UPPER(industry) LIKE '%RETAIL%' OR UPPER(industry) LIKE '%CONSUMER%' OR UPPER(industry) LIKE '%APPAREL%' THEN 'Retail' WHEN UPPER(industry) LIKE '%MANUFACTUR%' OR UPPER(industry) LIKE '%MACHINERY%' OR UPPER(industry) LIKE '%INDUSTRIAL%' OR UPPER(industry) LIKE '%AUTOMOTIVE%' THEN 'Manufacturing' WHEN UPPER(industry) LIKE '%EDUCATION%' OR UPPER(industry) LIKE '%LEARNING%' THEN 'Education' WHEN UPPER(industry) LIKE '%LOGISTIC%' OR UPPER(industry) LIKE '%TRANSPORT%' OR UPPER(industry) LIKE '%SHIPPING%' OR UPPER(industry) LIKE '%SUPPLY%' THEN 'Logistics' WHEN UPPER(industry) LIKE '%MEDIA%' OR UPPER(industry) LIKE '%ENTERTAINMENT%' OR UPPER(industry) LIKE '%PUBLISHING%' OR UPPER(industry) LIKE '%BROADCAST%' THEN 'Media' WHEN UPPER(industry) LIKE '%ENERGY%' OR UPPER(industry) LIKE '%OIL%' OR UPPER(industry) LIKE '%UTILIT%' OR UPPER(industry) LIKE '%RENEWABLE%' THEN 'Energy' WHEN UPPER(industry) LIKE '%CONSULT%' THEN 'Consulting' ELSE 'Other' END as industry_group, employees, annual_revenue, city, country,
  created_at, updated_at, is_deleted, loaded_at
from typed;

-- staging/stg_dynamics_accounts.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_dynamics_accounts" AS t
USING (
-- Dynamics 365 accounts: the companies of contacts and opportunities (industry is a choice column:
-- its label, not its number).
with typed as (
  select
    s._tide_source || ':accounts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'accounts' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    NULLIF(regexp_extract(LOWER(trim(s.websiteurl, ' ' || chr(9) || chr(10) || chr(13))), '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#:]|$)', 1), '') as domain_any,
    nullif(trim(s.industrycode_label), '') as industry,
    s.numberofemployees as employees,
    s.revenue as annual_revenue,
    nullif(trim(s.address1_city), '') as city,
    nullif(trim(s.address1_country), '') as country,
    coalesce(s.createdon, s._tide_updated_at) as created_at,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "name" AS "name", "websiteurl" AS "websiteurl", "industrycode_label" AS "industrycode_label", "numberofemployees" AS "numberofemployees", "revenue" AS "revenue", "address1_city" AS "address1_city", "address1_country" AS "address1_country", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__accounts") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_accounts"), TRUE)
)
select
  record_key, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id, source_name, crm, object, crm_id, name,
  CASE WHEN COALESCE(domain_any IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE domain_any END as domain,
  NULLIF(TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g')), '') as name_key,
  industry, CASE WHEN NULLIF(TRIM(UPPER(industry)), '') IS NULL THEN NULL WHEN UPPER(industry) LIKE '%SOFTWARE%' OR UPPER(industry) LIKE '%TECHNOLOG%' OR UPPER(industry) LIKE '%COMPUTER%' OR UPPER(industry) LIKE '%INTERNET%' OR UPPER(industry) LIKE '%SAAS%' OR UPPER(industry) LIKE '%INFORMATION%' THEN 'Software' WHEN UPPER(industry) LIKE '%FINANC%' OR UPPER(industry) LIKE '%BANK%' OR UPPER(industry) LIKE '%INSURANCE%' OR UPPER(industry) LIKE '%INVEST%' OR UPPER(industry) LIKE '%CAPITAL%' THEN 'Finance' WHEN UPPER(industry) LIKE '%HEALTH%' OR UPPER(industry) LIKE '%HOSPITAL%' OR UPPER(industry) LIKE '%MEDIC%' OR UPPER(industry) LIKE '%PHARMA%' OR UPPER(industry) LIKE '%BIOTECH%' THEN 'Healthcare' WHEN UPPER(industry) LIKE '%RETAIL%' OR UPPER(industry) LIKE '%CONSUMER%' OR UPPER(industry) LIKE '%APPAREL%' THEN 'Retail' WHEN UPPER(industry) LIKE '%MANUFACTUR%' OR UPPER(industry) LIKE '%MACHINERY%' OR UPPER(industry) LIKE '%INDUSTRIAL%' OR UPPER(industry) LIKE '%AUTOMOTIVE%' THEN 'Manufacturing' WHEN UPPER(industry) LIKE '%EDUCATION%' OR UPPER(industry) LIKE '%LEARNING%' THEN 'Education' WHEN UPPER(industry) LIKE '%LOGISTIC%' OR UPPER(industry) LIKE '%TRANSPORT%' OR UPPER(industry) LIKE '%SHIPPING%' OR UPPER(industry) LIKE '%SUPPLY%' THEN 'Logistics' WHEN UPPER(industry) LIKE '%MEDIA%' OR UPPER(industry) LIKE '%ENTERTAINMENT%' OR UPPER(industry) LIKE '%PUBLISHING%' OR UPPER(industry) LIKE '%BROADCAST%' THEN 'Media' WHEN UPPER(industry) LIKE '%ENERGY%' OR UPPER(industry) LIKE '%OIL%' OR UPPER(industry) LIKE '%UTILIT%' OR UPPER(industry) LIKE '%RENEWABLE%' THEN 'Energy' WHEN UPPER(industry) LIKE '%CONSULT%' THEN 'Consulting' ELSE 'Other' END as industry_group, employees, annual_revenue, city, country,
  created_at, updated_at, is_deleted, loaded_at
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
