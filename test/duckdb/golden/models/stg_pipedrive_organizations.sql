-- staging/stg_pipedrive_organizations.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_pipedrive_organizations" AS
-- Pipedrive organizations (website, industry and size are custom fields on most accounts: NULL when absent).
with typed as (
  select
    s._tide_source || ':organizations:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'organizations' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    NULLIF(regexp_extract(LOWER(trim(s.website, ' ' || chr(9) || chr(10) || chr(13))), '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#:]|$)', 1), '') as domain_any,
    nullif(trim(s.industry), '') as industry,
    s.employee_count as employees,
    s.annual_revenue,
    nullif(trim(s.address_locality), '') as city,
    nullif(trim(s.address_country), '') as country,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "name" AS "name", "website" AS "website", "industry" AS "industry", "employee_count" AS "employee_count", "annual_revenue" AS "annual_revenue", "address_locality" AS "address_locality", "address_country" AS "address_country", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__organizations") as s
  where TRUE
)
select
  record_key, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id, source_name, crm, object, crm_id, name,
  CASE WHEN COALESCE(domain_any IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE domain_any END as domain,
  NULLIF(COALESCE(NULLIF(regexp_replace(regexp_replace(TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g')), '(?: (?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|pllc|pc|gmbh|mbh|ag|kg|kgaa|ug|se|sa|s a|sas|sarl|srl|spa|s p a|sl|s l|bv|b v|nv|n v|ab|as|a s|aps|oy|oyj|pty|pte|kk|bhd|sdn bhd|lda))+$', '', 'g'), '^the ', '', 'g'), ''), TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g'))), '') as name_key,
  industry, CASE WHEN NULLIF(TRIM(UPPER(industry)), '') IS NULL THEN NULL WHEN UPPER(industry) LIKE '%SOFTWARE%' OR UPPER(industry) LIKE '%TECHNOLOG%' OR UPPER(industry) LIKE '%COMPUTER%' OR UPPER(industry) LIKE '%INTERNET%' OR UPPER(industry) LIKE '%SAAS%' OR UPPER(industry) LIKE '%INFORMATION%' THEN 'Software' WHEN UPPER(industry) LIKE '%FINANC%' OR UPPER(industry) LIKE '%BANK%' OR UPPER(industry) LIKE '%INSURANCE%' OR UPPER(industry) LIKE '%INVEST%' OR UPPER(industry) LIKE '%CAPITAL%' THEN 'Finance' WHEN UPPER(industry) LIKE '%HEALTH%' OR UPPER(industry) LIKE '%HOSPITAL%' OR UPPER(industry) LIKE '%MEDIC%' OR UPPER(industry) LIKE '%PHARMA%' OR UPPER(industry) LIKE '%BIOTECH%' THEN 'Healthcare' WHEN UPPER(industry) LIKE '%RETAIL%' OR UPPER(industry) LIKE '%CONSUMER%' OR UPPER(industry) LIKE '%APPAREL%' THEN 'Retail' WHEN UPPER(industry) LIKE '%MANUFACTUR%' OR UPPER(industry) LIKE '%MACHINERY%' OR UPPER(industry) LIKE '%INDUSTRIAL%' OR UPPER(industry) LIKE '%AUTOMOTIVE%' THEN 'Manufacturing' WHEN UPPER(industry) LIKE '%EDUCATION%' OR UPPER(industry) LIKE '%LEARNING%' THEN 'Education' WHEN UPPER(industry) LIKE '%LOGISTIC%' OR UPPER(industry) LIKE '%TRANSPORT%' OR UPPER(industry) LIKE '%SHIPPING%' OR UPPER(industry) LIKE '%SUPPLY%' THEN 'Logistics' WHEN UPPER(industry) LIKE '%MEDIA%' OR UPPER(industry) LIKE '%ENTERTAINMENT%' OR UPPER(industry) LIKE '%PUBLISHING%' OR UPPER(industry) LIKE '%BROADCAST%' THEN 'Media' WHEN UPPER(industry) LIKE '%ENERGY%' OR UPPER(industry) LIKE '%OIL%' OR UPPER(industry) LIKE '%UTILIT%' OR UPPER(industry) LIKE '%RENEWABLE%' THEN 'Energy' WHEN UPPER(industry) LIKE '%CONSULT%' THEN 'Consulting' ELSE 'Other' END as industry_group, employees, annual_revenue, city, country,
  -- Organizations have no phone field in Pipedrive.
  cast(null as BIGINT) as phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed;

-- staging/stg_pipedrive_organizations.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_pipedrive_organizations" AS t
USING (
-- Pipedrive organizations (website, industry and size are custom fields on most accounts: NULL when absent).
with typed as (
  select
    s._tide_source || ':organizations:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'pipedrive' as crm,
    'organizations' as object,
    s._tide_id as crm_id,
    nullif(trim(s.name), '') as name,
    NULLIF(regexp_extract(LOWER(trim(s.website, ' ' || chr(9) || chr(10) || chr(13))), '^(?:[a-z][a-z0-9+.-]*://)?(?:www[0-9]*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?:[/?#:]|$)', 1), '') as domain_any,
    nullif(trim(s.industry), '') as industry,
    s.employee_count as employees,
    s.annual_revenue,
    nullif(trim(s.address_locality), '') as city,
    nullif(trim(s.address_country), '') as country,
    coalesce(s.add_time, s._tide_updated_at) as created_at,
    coalesce(s.update_time, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'pipedrive' AS "_tide_source", "name" AS "name", "website" AS "website", "industry" AS "industry", "employee_count" AS "employee_count", "annual_revenue" AS "annual_revenue", "address_locality" AS "address_locality", "address_country" AS "address_country", "add_time" AS "add_time", "update_time" AS "update_time" FROM "raw"."pipedrive__organizations") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_pipedrive_organizations"), TRUE)
)
select
  record_key, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) as record_id, source_name, crm, object, crm_id, name,
  CASE WHEN COALESCE(domain_any IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE domain_any END as domain,
  NULLIF(COALESCE(NULLIF(regexp_replace(regexp_replace(TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g')), '(?: (?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|pllc|pc|gmbh|mbh|ag|kg|kgaa|ug|se|sa|s a|sas|sarl|srl|spa|s p a|sl|s l|bv|b v|nv|n v|ab|as|a s|aps|oy|oyj|pty|pte|kk|bhd|sdn bhd|lda))+$', '', 'g'), '^the ', '', 'g'), ''), TRIM(regexp_replace(LOWER(strip_accents(name)), '[^a-z0-9]+', ' ', 'g'))), '') as name_key,
  industry, CASE WHEN NULLIF(TRIM(UPPER(industry)), '') IS NULL THEN NULL WHEN UPPER(industry) LIKE '%SOFTWARE%' OR UPPER(industry) LIKE '%TECHNOLOG%' OR UPPER(industry) LIKE '%COMPUTER%' OR UPPER(industry) LIKE '%INTERNET%' OR UPPER(industry) LIKE '%SAAS%' OR UPPER(industry) LIKE '%INFORMATION%' THEN 'Software' WHEN UPPER(industry) LIKE '%FINANC%' OR UPPER(industry) LIKE '%BANK%' OR UPPER(industry) LIKE '%INSURANCE%' OR UPPER(industry) LIKE '%INVEST%' OR UPPER(industry) LIKE '%CAPITAL%' THEN 'Finance' WHEN UPPER(industry) LIKE '%HEALTH%' OR UPPER(industry) LIKE '%HOSPITAL%' OR UPPER(industry) LIKE '%MEDIC%' OR UPPER(industry) LIKE '%PHARMA%' OR UPPER(industry) LIKE '%BIOTECH%' THEN 'Healthcare' WHEN UPPER(industry) LIKE '%RETAIL%' OR UPPER(industry) LIKE '%CONSUMER%' OR UPPER(industry) LIKE '%APPAREL%' THEN 'Retail' WHEN UPPER(industry) LIKE '%MANUFACTUR%' OR UPPER(industry) LIKE '%MACHINERY%' OR UPPER(industry) LIKE '%INDUSTRIAL%' OR UPPER(industry) LIKE '%AUTOMOTIVE%' THEN 'Manufacturing' WHEN UPPER(industry) LIKE '%EDUCATION%' OR UPPER(industry) LIKE '%LEARNING%' THEN 'Education' WHEN UPPER(industry) LIKE '%LOGISTIC%' OR UPPER(industry) LIKE '%TRANSPORT%' OR UPPER(industry) LIKE '%SHIPPING%' OR UPPER(industry) LIKE '%SUPPLY%' THEN 'Logistics' WHEN UPPER(industry) LIKE '%MEDIA%' OR UPPER(industry) LIKE '%ENTERTAINMENT%' OR UPPER(industry) LIKE '%PUBLISHING%' OR UPPER(industry) LIKE '%BROADCAST%' THEN 'Media' WHEN UPPER(industry) LIKE '%ENERGY%' OR UPPER(industry) LIKE '%OIL%' OR UPPER(industry) LIKE '%UTILIT%' OR UPPER(industry) LIKE '%RENEWABLE%' THEN 'Energy' WHEN UPPER(industry) LIKE '%CONSULT%' THEN 'Consulting' ELSE 'Other' END as industry_group, employees, annual_revenue, city, country,
  -- Organizations have no phone field in Pipedrive.
  cast(null as BIGINT) as phone_key,
  created_at, updated_at, is_deleted, loaded_at
from typed
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
