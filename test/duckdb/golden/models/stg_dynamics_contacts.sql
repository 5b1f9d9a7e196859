-- staging/stg_dynamics_contacts.sql: first build (incremental)

CREATE OR REPLACE TABLE "staging"."stg_dynamics_contacts" AS
-- Dynamics 365 contacts. The company is the account parentcustomerid points at (a Customer lookup:
-- it may point at another contact instead). A contact merged into another keeps masterid; a contact
-- created by qualifying a lead names it in originatingleadid. Identity fields: person_staging.
with typed as (
  select
    _tide_source || ':contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'dynamics' as crm,
    'contacts' as object,
    _tide_id as crm_id,
    emailaddress1 as email_raw,
    coalesce(nullif(trim(telephone1), ''), mobilephone) as phone_raw,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    cast(null as VARCHAR) as company_name,
    case when parentcustomerid_type = 'account' then _tide_source || ':accounts:' || lower(nullif(trim(parentcustomerid), '')) end as company_record_key,
    cast(null as VARCHAR) as website_domain,
    nullif(trim(address1_city), '') as city,
    nullif(trim(address1_country), '') as country,
    case when coalesce(merged, false) then lower(nullif(trim(masterid), '')) end as merged_into_crm_id,
    lower(nullif(trim(originatingleadid), '')) as originating_lead_id,
    coalesce(createdon, _tide_updated_at) as created_at,
    coalesce(modifiedon, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "firstname" AS "firstname", "lastname" AS "lastname", "emailaddress1" AS "emailaddress1", "telephone1" AS "telephone1", "mobilephone" AS "mobilephone", "jobtitle" AS "jobtitle", "address1_city" AS "address1_city", "address1_country" AS "address1_country", "parentcustomerid" AS "parentcustomerid", "parentcustomerid_type" AS "parentcustomerid_type", "masterid" AS "masterid", "merged" AS "merged", "originatingleadid" AS "originatingleadid", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__contacts") as s
  where TRUE
)
SELECT record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, merged_into_crm_id, originating_lead_id, created_at, updated_at, is_deleted, loaded_at
FROM (SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present, CASE WHEN NOT regexp_matches(phone_digits, '^[0-9]{7,17}$') THEN NULL WHEN LTRIM(phone_raw) LIKE '+%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 8 AND 15 AND phone_digits NOT LIKE '0%' THEN '+' || phone_digits END WHEN LTRIM(phone_raw) LIKE '00%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 10 AND 17 AND phone_digits NOT LIKE '000%' THEN '+' || SUBSTR(phone_digits, 3) END WHEN phone_digits LIKE '0%' THEN CASE WHEN LENGTH(calling_code) + LENGTH(phone_digits) BETWEEN 9 AND 16 AND phone_digits NOT LIKE '00%' THEN '+' || calling_code || SUBSTR(phone_digits, 2) END WHEN LENGTH(phone_digits) = 10 AND COALESCE(calling_code, '1') = '1' THEN '+1' || phone_digits WHEN LENGTH(phone_digits) = 11 AND phone_digits LIKE '1%' AND COALESCE(calling_code, '1') = '1' THEN '+' || phone_digits END AS phone, CASE WHEN email_valid AND NOT email_is_role THEN CAST('0x' || substr(md5(email), 1, 15) AS BIGINT) END AS email_key, CASE WHEN NULLIF(TRIM(first_name), '') IS NOT NULL AND NULLIF(TRIM(last_name), '') IS NOT NULL THEN NULLIF(regexp_replace(LOWER(strip_accents(first_name || last_name)), '[^a-z]+', '', 'g'), '') END AS name_key, NULLIF(TRIM(regexp_replace(LOWER(strip_accents(company_name)), '[^a-z0-9]+', ' ', 'g')), '') AS company_name_key, COALESCE(CASE WHEN COALESCE(website_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE website_domain END, CASE WHEN email_valid THEN CASE WHEN COALESCE(email_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE email_domain END END) AS company_domain FROM (SELECT person_normalized.*, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) AS record_id, CASE WHEN company_record_key IS NOT NULL THEN CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) END AS company_record_id, COALESCE(regexp_matches(email, '^[a-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$'), FALSE) AS email_valid, COALESCE(split_part(email, '@', 1) IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE) AS email_is_role, NULLIF(split_part(email, '@', 2), '') AS email_domain, CASE UPPER(TRIM(country)) WHEN 'US' THEN '1' WHEN 'USA' THEN '1' WHEN 'UNITED STATES' THEN '1' WHEN 'CA' THEN '1' WHEN 'CANADA' THEN '1' WHEN 'GB' THEN '44' WHEN 'UK' THEN '44' WHEN 'UNITED KINGDOM' THEN '44' WHEN 'DE' THEN '49' WHEN 'GERMANY' THEN '49' WHEN 'FR' THEN '33' WHEN 'FRANCE' THEN '33' WHEN 'ES' THEN '34' WHEN 'SPAIN' THEN '34' WHEN 'IT' THEN '39' WHEN 'ITALY' THEN '39' WHEN 'NL' THEN '31' WHEN 'NETHERLANDS' THEN '31' WHEN 'BE' THEN '32' WHEN 'BELGIUM' THEN '32' WHEN 'CH' THEN '41' WHEN 'SWITZERLAND' THEN '41' WHEN 'AT' THEN '43' WHEN 'AUSTRIA' THEN '43' WHEN 'DK' THEN '45' WHEN 'DENMARK' THEN '45' WHEN 'SE' THEN '46' WHEN 'SWEDEN' THEN '46' WHEN 'NO' THEN '47' WHEN 'NORWAY' THEN '47' WHEN 'FI' THEN '358' WHEN 'FINLAND' THEN '358' WHEN 'IE' THEN '353' WHEN 'IRELAND' THEN '353' WHEN 'PT' THEN '351' WHEN 'PORTUGAL' THEN '351' WHEN 'PL' THEN '48' WHEN 'POLAND' THEN '48' WHEN 'AU' THEN '61' WHEN 'AUSTRALIA' THEN '61' WHEN 'NZ' THEN '64' WHEN 'NEW ZEALAND' THEN '64' WHEN 'JP' THEN '81' WHEN 'JAPAN' THEN '81' WHEN 'IN' THEN '91' WHEN 'INDIA' THEN '91' WHEN 'BR' THEN '55' WHEN 'BRAZIL' THEN '55' WHEN 'MX' THEN '52' WHEN 'MEXICO' THEN '52' WHEN 'SG' THEN '65' WHEN 'SINGAPORE' THEN '65' WHEN 'ZA' THEN '27' WHEN 'SOUTH AFRICA' THEN '27' END AS calling_code FROM (SELECT person_input.*, NULLIF(LOWER(trim(email_raw, ' ' || chr(9) || chr(10) || chr(13))), '') AS email, NULLIF(TRANSLATE(phone_raw, ' ()-./+', ''), '') AS phone_digits FROM typed AS person_input) AS person_normalized) AS person_checked) AS person;

-- staging/stg_dynamics_contacts.sql: later build, merging into the existing table

MERGE INTO "staging"."stg_dynamics_contacts" AS t
USING (
-- Dynamics 365 contacts. The company is the account parentcustomerid points at (a Customer lookup:
-- it may point at another contact instead). A contact merged into another keeps masterid; a contact
-- created by qualifying a lead names it in originatingleadid. Identity fields: person_staging.
with typed as (
  select
    _tide_source || ':contacts:' || _tide_id as record_key,
    _tide_source as source_name,
    'dynamics' as crm,
    'contacts' as object,
    _tide_id as crm_id,
    emailaddress1 as email_raw,
    coalesce(nullif(trim(telephone1), ''), mobilephone) as phone_raw,
    nullif(trim(firstname), '') as first_name,
    nullif(trim(lastname), '') as last_name,
    nullif(trim(jobtitle), '') as job_title,
    cast(null as VARCHAR) as company_name,
    case when parentcustomerid_type = 'account' then _tide_source || ':accounts:' || lower(nullif(trim(parentcustomerid), '')) end as company_record_key,
    cast(null as VARCHAR) as website_domain,
    nullif(trim(address1_city), '') as city,
    nullif(trim(address1_country), '') as country,
    case when coalesce(merged, false) then lower(nullif(trim(masterid), '')) end as merged_into_crm_id,
    lower(nullif(trim(originatingleadid), '')) as originating_lead_id,
    coalesce(createdon, _tide_updated_at) as created_at,
    coalesce(modifiedon, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from (SELECT "_tide_id", "_tide_updated_at", "_tide_deleted", "_tide_record", "_tide_loaded_at", "_tide_load_id", 'dynamics' AS "_tide_source", "firstname" AS "firstname", "lastname" AS "lastname", "emailaddress1" AS "emailaddress1", "telephone1" AS "telephone1", "mobilephone" AS "mobilephone", "jobtitle" AS "jobtitle", "address1_city" AS "address1_city", "address1_country" AS "address1_country", "parentcustomerid" AS "parentcustomerid", "parentcustomerid_type" AS "parentcustomerid_type", "masterid" AS "masterid", "merged" AS "merged", "originatingleadid" AS "originatingleadid", "createdon" AS "createdon", "modifiedon" AS "modifiedon" FROM "raw"."dynamics__contacts") as s
  where COALESCE(s._tide_loaded_at > (SELECT MAX("loaded_at") FROM "staging"."stg_dynamics_contacts"), TRUE)
)
SELECT record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, merged_into_crm_id, originating_lead_id, created_at, updated_at, is_deleted, loaded_at
FROM (SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present, CASE WHEN NOT regexp_matches(phone_digits, '^[0-9]{7,17}$') THEN NULL WHEN LTRIM(phone_raw) LIKE '+%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 8 AND 15 AND phone_digits NOT LIKE '0%' THEN '+' || phone_digits END WHEN LTRIM(phone_raw) LIKE '00%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 10 AND 17 AND phone_digits NOT LIKE '000%' THEN '+' || SUBSTR(phone_digits, 3) END WHEN phone_digits LIKE '0%' THEN CASE WHEN LENGTH(calling_code) + LENGTH(phone_digits) BETWEEN 9 AND 16 AND phone_digits NOT LIKE '00%' THEN '+' || calling_code || SUBSTR(phone_digits, 2) END WHEN LENGTH(phone_digits) = 10 AND COALESCE(calling_code, '1') = '1' THEN '+1' || phone_digits WHEN LENGTH(phone_digits) = 11 AND phone_digits LIKE '1%' AND COALESCE(calling_code, '1') = '1' THEN '+' || phone_digits END AS phone, CASE WHEN email_valid AND NOT email_is_role THEN CAST('0x' || substr(md5(email), 1, 15) AS BIGINT) END AS email_key, CASE WHEN NULLIF(TRIM(first_name), '') IS NOT NULL AND NULLIF(TRIM(last_name), '') IS NOT NULL THEN NULLIF(regexp_replace(LOWER(strip_accents(first_name || last_name)), '[^a-z]+', '', 'g'), '') END AS name_key, NULLIF(TRIM(regexp_replace(LOWER(strip_accents(company_name)), '[^a-z0-9]+', ' ', 'g')), '') AS company_name_key, COALESCE(CASE WHEN COALESCE(website_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE website_domain END, CASE WHEN email_valid THEN CASE WHEN COALESCE(email_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE email_domain END END) AS company_domain FROM (SELECT person_normalized.*, CAST('0x' || substr(md5(record_key), 1, 15) AS BIGINT) AS record_id, CASE WHEN company_record_key IS NOT NULL THEN CAST('0x' || substr(md5(company_record_key), 1, 15) AS BIGINT) END AS company_record_id, COALESCE(regexp_matches(email, '^[a-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$'), FALSE) AS email_valid, COALESCE(split_part(email, '@', 1) IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE) AS email_is_role, NULLIF(split_part(email, '@', 2), '') AS email_domain, CASE UPPER(TRIM(country)) WHEN 'US' THEN '1' WHEN 'USA' THEN '1' WHEN 'UNITED STATES' THEN '1' WHEN 'CA' THEN '1' WHEN 'CANADA' THEN '1' WHEN 'GB' THEN '44' WHEN 'UK' THEN '44' WHEN 'UNITED KINGDOM' THEN '44' WHEN 'DE' THEN '49' WHEN 'GERMANY' THEN '49' WHEN 'FR' THEN '33' WHEN 'FRANCE' THEN '33' WHEN 'ES' THEN '34' WHEN 'SPAIN' THEN '34' WHEN 'IT' THEN '39' WHEN 'ITALY' THEN '39' WHEN 'NL' THEN '31' WHEN 'NETHERLANDS' THEN '31' WHEN 'BE' THEN '32' WHEN 'BELGIUM' THEN '32' WHEN 'CH' THEN '41' WHEN 'SWITZERLAND' THEN '41' WHEN 'AT' THEN '43' WHEN 'AUSTRIA' THEN '43' WHEN 'DK' THEN '45' WHEN 'DENMARK' THEN '45' WHEN 'SE' THEN '46' WHEN 'SWEDEN' THEN '46' WHEN 'NO' THEN '47' WHEN 'NORWAY' THEN '47' WHEN 'FI' THEN '358' WHEN 'FINLAND' THEN '358' WHEN 'IE' THEN '353' WHEN 'IRELAND' THEN '353' WHEN 'PT' THEN '351' WHEN 'PORTUGAL' THEN '351' WHEN 'PL' THEN '48' WHEN 'POLAND' THEN '48' WHEN 'AU' THEN '61' WHEN 'AUSTRALIA' THEN '61' WHEN 'NZ' THEN '64' WHEN 'NEW ZEALAND' THEN '64' WHEN 'JP' THEN '81' WHEN 'JAPAN' THEN '81' WHEN 'IN' THEN '91' WHEN 'INDIA' THEN '91' WHEN 'BR' THEN '55' WHEN 'BRAZIL' THEN '55' WHEN 'MX' THEN '52' WHEN 'MEXICO' THEN '52' WHEN 'SG' THEN '65' WHEN 'SINGAPORE' THEN '65' WHEN 'ZA' THEN '27' WHEN 'SOUTH AFRICA' THEN '27' END AS calling_code FROM (SELECT person_input.*, NULLIF(LOWER(trim(email_raw, ' ' || chr(9) || chr(10) || chr(13))), '') AS email, NULLIF(TRANSLATE(phone_raw, ' ()-./+', ''), '') AS phone_digits FROM typed AS person_input) AS person_normalized) AS person_checked) AS person
) AS s
ON t."record_key" = s."record_key"
WHEN MATCHED THEN UPDATE SET "loaded_at" = s."loaded_at"
WHEN NOT MATCHED THEN INSERT ("record_key", "loaded_at") VALUES (s."record_key", s."loaded_at");
