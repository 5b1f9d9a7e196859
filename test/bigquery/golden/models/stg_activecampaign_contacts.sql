-- staging/stg_activecampaign_contacts.sql: first build (incremental)

CREATE OR REPLACE TABLE `acme-analytics`.`staging`.`stg_activecampaign_contacts` AS
-- ActiveCampaign contacts. A contact names no account itself: its company comes from its account
-- link (account_contacts; the smallest account id when it has several), so a contact whose links
-- changed is staged again even when the contact did not. Job title, city and country are custom
-- fields on most accounts (NULL when the account has no field by that name); the link's job title
-- fills a missing one. Identity fields are normalized by person_staging.
with links as (
  select
    l.contact as contact_id,
    min(l.account) as account_id,
    max(nullif(trim(l.job_title), '')) as job_title,
    max(l._tide_loaded_at) as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `account` AS `account`, `contact` AS `contact`, `job_title` AS `job_title`, `updated_timestamp` AS `updated_timestamp` FROM `acme-analytics`.`raw`.`activecampaign__account_contacts`) as l
  where not coalesce(l._tide_deleted, false)
  group by l.contact
),
relinked as (
  select distinct l.contact as contact_id
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `account` AS `account`, `contact` AS `contact`, `job_title` AS `job_title`, `updated_timestamp` AS `updated_timestamp` FROM `acme-analytics`.`raw`.`activecampaign__account_contacts`) as l
  where TRUE
),
typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'contacts' as object,
    s._tide_id as crm_id,
    s.email as email_raw,
    s.phone as phone_raw,
    nullif(trim(s.first_name), '') as first_name,
    nullif(trim(s.last_name), '') as last_name,
    coalesce(nullif(trim(s.job_title), ''), k.job_title) as job_title,
    cast(null as STRING) as company_name,
    s._tide_source || ':accounts:' || nullif(trim(k.account_id), '') as company_record_key,
    cast(null as STRING) as website_domain,
    nullif(trim(s.city), '') as city,
    nullif(trim(s.country), '') as country,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.udate, s.cdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    greatest(s._tide_loaded_at, coalesce(k.loaded_at, s._tide_loaded_at)) as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `email` AS `email`, `first_name` AS `first_name`, `last_name` AS `last_name`, `phone` AS `phone`, `job_title` AS `job_title`, `city` AS `city`, `country` AS `country`, `cdate` AS `cdate`, `udate` AS `udate` FROM `acme-analytics`.`raw`.`activecampaign__contacts`) as s
  left join links as k on k.contact_id = s._tide_id
  where TRUE
     or s._tide_id in (select contact_id from relinked)
)
SELECT record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, CASE WHEN phone IS NOT NULL THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(phone || COALESCE(';ext=' || phone_ext, ''))), 1, 15)) AS INT64) END AS phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at
FROM (SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present, CASE WHEN NOT REGEXP_CONTAINS(phone_digits, r'^[0-9]{7,17}$') THEN NULL WHEN LTRIM(phone_main) LIKE '+%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 8 AND 15 AND phone_digits NOT LIKE '0%' THEN '+' || phone_digits END WHEN LTRIM(phone_main) LIKE '00%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 10 AND 17 AND phone_digits NOT LIKE '000%' THEN '+' || SUBSTR(phone_digits, 3) END WHEN phone_digits LIKE '0%' THEN CASE WHEN LENGTH(calling_code) + LENGTH(phone_digits) BETWEEN 9 AND 16 AND phone_digits NOT LIKE '00%' THEN '+' || calling_code || SUBSTR(phone_digits, 2) END WHEN LENGTH(phone_digits) = 10 AND COALESCE(calling_code, '1') = '1' THEN '+1' || phone_digits WHEN LENGTH(phone_digits) = 11 AND phone_digits LIKE '1%' AND COALESCE(calling_code, '1') = '1' THEN '+' || phone_digits END AS phone, CASE WHEN email_valid AND NOT email_is_role THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(email)), 1, 15)) AS INT64) END AS email_key, CASE WHEN first_key IS NOT NULL AND last_key IS NOT NULL THEN first_key || last_key || COALESCE(name_suffix, '') END AS name_key, NULLIF(COALESCE(NULLIF(REGEXP_REPLACE(REGEXP_REPLACE(TRIM(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(company_name, NFD), r'\pM', '')), r'[^a-z0-9]+', ' ')), r'(?: (?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|pllc|pc|gmbh|mbh|ag|kg|kgaa|ug|se|sa|s a|sas|sarl|srl|spa|s p a|sl|s l|bv|b v|nv|n v|ab|as|a s|aps|oy|oyj|pty|pte|kk|bhd|sdn bhd|lda))+$', ''), r'^the ', ''), ''), TRIM(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(company_name, NFD), r'\pM', '')), r'[^a-z0-9]+', ' '))), '') AS company_name_key, COALESCE(CASE WHEN COALESCE(website_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE website_domain END, CASE WHEN email_valid THEN CASE WHEN COALESCE(email_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE email_domain END END) AS company_domain FROM (SELECT person_normalized.*, CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) AS record_id, CASE WHEN company_record_key IS NOT NULL THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(company_record_key)), 1, 15)) AS INT64) END AS company_record_id, COALESCE(REGEXP_CONTAINS(email, r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"), FALSE) AS email_valid, COALESCE(SPLIT(email, '@')[SAFE_OFFSET(0)] IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE) AS email_is_role, NULLIF(SPLIT(email, '@')[SAFE_OFFSET(1)], '') AS email_domain, CASE UPPER(TRIM(country)) WHEN 'US' THEN '1' WHEN 'USA' THEN '1' WHEN 'UNITED STATES' THEN '1' WHEN 'CA' THEN '1' WHEN 'CANADA' THEN '1' WHEN 'GB' THEN '44' WHEN 'UK' THEN '44' WHEN 'UNITED KINGDOM' THEN '44' WHEN 'DE' THEN '49' WHEN 'GERMANY' THEN '49' WHEN 'FR' THEN '33' WHEN 'FRANCE' THEN '33' WHEN 'ES' THEN '34' WHEN 'SPAIN' THEN '34' WHEN 'IT' THEN '39' WHEN 'ITALY' THEN '39' WHEN 'NL' THEN '31' WHEN 'NETHERLANDS' THEN '31' WHEN 'BE' THEN '32' WHEN 'BELGIUM' THEN '32' WHEN 'CH' THEN '41' WHEN 'SWITZERLAND' THEN '41' WHEN 'AT' THEN '43' WHEN 'AUSTRIA' THEN '43' WHEN 'DK' THEN '45' WHEN 'DENMARK' THEN '45' WHEN 'SE' THEN '46' WHEN 'SWEDEN' THEN '46' WHEN 'NO' THEN '47' WHEN 'NORWAY' THEN '47' WHEN 'FI' THEN '358' WHEN 'FINLAND' THEN '358' WHEN 'IE' THEN '353' WHEN 'IRELAND' THEN '353' WHEN 'PT' THEN '351' WHEN 'PORTUGAL' THEN '351' WHEN 'PL' THEN '48' WHEN 'POLAND' THEN '48' WHEN 'AU' THEN '61' WHEN 'AUSTRALIA' THEN '61' WHEN 'NZ' THEN '64' WHEN 'NEW ZEALAND' THEN '64' WHEN 'JP' THEN '81' WHEN 'JAPAN' THEN '81' WHEN 'IN' THEN '91' WHEN 'INDIA' THEN '91' WHEN 'BR' THEN '55' WHEN 'BRAZIL' THEN '55' WHEN 'MX' THEN '52' WHEN 'MEXICO' THEN '52' WHEN 'SG' THEN '65' WHEN 'SINGAPORE' THEN '65' WHEN 'ZA' THEN '27' WHEN 'SOUTH AFRICA' THEN '27' END AS calling_code, NULLIF(TRANSLATE(phone_main, ' ()-./+', ''), '') AS phone_digits, NULLIF(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(first_name, NFD), r'\pM', '')), r'[^a-z]+', ''), '') AS first_key, NULLIF(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(REGEXP_REPLACE(LOWER(TRIM(last_name)), r'[ ,.]+(jr|sr|ii|iii|iv)\.?$', ''), NFD), r'\pM', '')), r'[^a-z]+', ''), '') AS last_key, NULLIF(REGEXP_EXTRACT(LOWER(TRIM(last_name)), r'[ ,.]+(jr|sr|ii|iii|iv)\.?$'), '') AS name_suffix FROM (SELECT person_input.*, NULLIF(LOWER(TRIM(email_raw, ' \t\n\r')), '') AS email, NULLIF(REGEXP_EXTRACT(LOWER(phone_raw), r'(?:;ext=|[ ,]*(?:extension|ext\.?|x|#)) *([0-9]{1,6}) *$'), '') AS phone_ext, REGEXP_REPLACE(LOWER(phone_raw), r'(?:;ext=|[ ,]*(?:extension|ext\.?|x|#)) *([0-9]{1,6}) *$', '') AS phone_main, CAST(NULL AS STRING) AS merged_into_key, NULLIF(TRIM(REGEXP_REPLACE(CAST(NULL AS STRING), r'[\s;,]+', ';'), ';'), '') AS merged_from_ids, NULLIF(TRIM(REGEXP_REPLACE(LOWER(CAST(NULL AS STRING)), r'[\s;,]+', ';'), ';'), '') AS alt_emails, COALESCE(CAST(NULL AS BOOL), FALSE) AS survivor_unnamed FROM typed AS person_input) AS person_normalized) AS person_checked) AS person;

-- staging/stg_activecampaign_contacts.sql: later build, merging into the existing table

MERGE INTO `acme-analytics`.`staging`.`stg_activecampaign_contacts` AS t
USING (
-- ActiveCampaign contacts. A contact names no account itself: its company comes from its account
-- link (account_contacts; the smallest account id when it has several), so a contact whose links
-- changed is staged again even when the contact did not. Job title, city and country are custom
-- fields on most accounts (NULL when the account has no field by that name); the link's job title
-- fills a missing one. Identity fields are normalized by person_staging.
with links as (
  select
    l.contact as contact_id,
    min(l.account) as account_id,
    max(nullif(trim(l.job_title), '')) as job_title,
    max(l._tide_loaded_at) as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `account` AS `account`, `contact` AS `contact`, `job_title` AS `job_title`, `updated_timestamp` AS `updated_timestamp` FROM `acme-analytics`.`raw`.`activecampaign__account_contacts`) as l
  where not coalesce(l._tide_deleted, false)
  group by l.contact
),
relinked as (
  select distinct l.contact as contact_id
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `account` AS `account`, `contact` AS `contact`, `job_title` AS `job_title`, `updated_timestamp` AS `updated_timestamp` FROM `acme-analytics`.`raw`.`activecampaign__account_contacts`) as l
  where COALESCE(l._tide_loaded_at > (SELECT MAX(`loaded_at`) FROM `acme-analytics`.`staging`.`stg_activecampaign_contacts`), TRUE)
),
typed as (
  select
    s._tide_source || ':contacts:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'activecampaign' as crm,
    'contacts' as object,
    s._tide_id as crm_id,
    s.email as email_raw,
    s.phone as phone_raw,
    nullif(trim(s.first_name), '') as first_name,
    nullif(trim(s.last_name), '') as last_name,
    coalesce(nullif(trim(s.job_title), ''), k.job_title) as job_title,
    cast(null as STRING) as company_name,
    s._tide_source || ':accounts:' || nullif(trim(k.account_id), '') as company_record_key,
    cast(null as STRING) as website_domain,
    nullif(trim(s.city), '') as city,
    nullif(trim(s.country), '') as country,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.udate, s.cdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    greatest(s._tide_loaded_at, coalesce(k.loaded_at, s._tide_loaded_at)) as loaded_at
  from (SELECT `_tide_id`, `_tide_updated_at`, `_tide_deleted`, `_tide_record`, `_tide_loaded_at`, `_tide_load_id`, 'activecampaign' AS `_tide_source`, `email` AS `email`, `first_name` AS `first_name`, `last_name` AS `last_name`, `phone` AS `phone`, `job_title` AS `job_title`, `city` AS `city`, `country` AS `country`, `cdate` AS `cdate`, `udate` AS `udate` FROM `acme-analytics`.`raw`.`activecampaign__contacts`) as s
  left join links as k on k.contact_id = s._tide_id
  where COALESCE(s._tide_loaded_at > (SELECT MAX(`loaded_at`) FROM `acme-analytics`.`staging`.`stg_activecampaign_contacts`), TRUE)
     or s._tide_id in (select contact_id from relinked)
)
SELECT record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, CASE WHEN phone IS NOT NULL THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(phone || COALESCE(';ext=' || phone_ext, ''))), 1, 15)) AS INT64) END AS phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at
FROM (SELECT person_checked.*, COALESCE(TRIM(email_raw) <> '', FALSE) AS email_present, CASE WHEN NOT REGEXP_CONTAINS(phone_digits, r'^[0-9]{7,17}$') THEN NULL WHEN LTRIM(phone_main) LIKE '+%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 8 AND 15 AND phone_digits NOT LIKE '0%' THEN '+' || phone_digits END WHEN LTRIM(phone_main) LIKE '00%' THEN CASE WHEN LENGTH(phone_digits) BETWEEN 10 AND 17 AND phone_digits NOT LIKE '000%' THEN '+' || SUBSTR(phone_digits, 3) END WHEN phone_digits LIKE '0%' THEN CASE WHEN LENGTH(calling_code) + LENGTH(phone_digits) BETWEEN 9 AND 16 AND phone_digits NOT LIKE '00%' THEN '+' || calling_code || SUBSTR(phone_digits, 2) END WHEN LENGTH(phone_digits) = 10 AND COALESCE(calling_code, '1') = '1' THEN '+1' || phone_digits WHEN LENGTH(phone_digits) = 11 AND phone_digits LIKE '1%' AND COALESCE(calling_code, '1') = '1' THEN '+' || phone_digits END AS phone, CASE WHEN email_valid AND NOT email_is_role THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(email)), 1, 15)) AS INT64) END AS email_key, CASE WHEN first_key IS NOT NULL AND last_key IS NOT NULL THEN first_key || last_key || COALESCE(name_suffix, '') END AS name_key, NULLIF(COALESCE(NULLIF(REGEXP_REPLACE(REGEXP_REPLACE(TRIM(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(company_name, NFD), r'\pM', '')), r'[^a-z0-9]+', ' ')), r'(?: (?:inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|pllc|pc|gmbh|mbh|ag|kg|kgaa|ug|se|sa|s a|sas|sarl|srl|spa|s p a|sl|s l|bv|b v|nv|n v|ab|as|a s|aps|oy|oyj|pty|pte|kk|bhd|sdn bhd|lda))+$', ''), r'^the ', ''), ''), TRIM(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(company_name, NFD), r'\pM', '')), r'[^a-z0-9]+', ' '))), '') AS company_name_key, COALESCE(CASE WHEN COALESCE(website_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE website_domain END, CASE WHEN email_valid THEN CASE WHEN COALESCE(email_domain IN ('gmail.com', 'googlemail.com', 'yahoo.com', 'ymail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.com', 'yandex.ru', 'zoho.com'), FALSE) THEN NULL ELSE email_domain END END) AS company_domain FROM (SELECT person_normalized.*, CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(record_key)), 1, 15)) AS INT64) AS record_id, CASE WHEN company_record_key IS NOT NULL THEN CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(company_record_key)), 1, 15)) AS INT64) END AS company_record_id, COALESCE(REGEXP_CONTAINS(email, r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$"), FALSE) AS email_valid, COALESCE(SPLIT(email, '@')[SAFE_OFFSET(0)] IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE) AS email_is_role, NULLIF(SPLIT(email, '@')[SAFE_OFFSET(1)], '') AS email_domain, CASE UPPER(TRIM(country)) WHEN 'US' THEN '1' WHEN 'USA' THEN '1' WHEN 'UNITED STATES' THEN '1' WHEN 'CA' THEN '1' WHEN 'CANADA' THEN '1' WHEN 'GB' THEN '44' WHEN 'UK' THEN '44' WHEN 'UNITED KINGDOM' THEN '44' WHEN 'DE' THEN '49' WHEN 'GERMANY' THEN '49' WHEN 'FR' THEN '33' WHEN 'FRANCE' THEN '33' WHEN 'ES' THEN '34' WHEN 'SPAIN' THEN '34' WHEN 'IT' THEN '39' WHEN 'ITALY' THEN '39' WHEN 'NL' THEN '31' WHEN 'NETHERLANDS' THEN '31' WHEN 'BE' THEN '32' WHEN 'BELGIUM' THEN '32' WHEN 'CH' THEN '41' WHEN 'SWITZERLAND' THEN '41' WHEN 'AT' THEN '43' WHEN 'AUSTRIA' THEN '43' WHEN 'DK' THEN '45' WHEN 'DENMARK' THEN '45' WHEN 'SE' THEN '46' WHEN 'SWEDEN' THEN '46' WHEN 'NO' THEN '47' WHEN 'NORWAY' THEN '47' WHEN 'FI' THEN '358' WHEN 'FINLAND' THEN '358' WHEN 'IE' THEN '353' WHEN 'IRELAND' THEN '353' WHEN 'PT' THEN '351' WHEN 'PORTUGAL' THEN '351' WHEN 'PL' THEN '48' WHEN 'POLAND' THEN '48' WHEN 'AU' THEN '61' WHEN 'AUSTRALIA' THEN '61' WHEN 'NZ' THEN '64' WHEN 'NEW ZEALAND' THEN '64' WHEN 'JP' THEN '81' WHEN 'JAPAN' THEN '81' WHEN 'IN' THEN '91' WHEN 'INDIA' THEN '91' WHEN 'BR' THEN '55' WHEN 'BRAZIL' THEN '55' WHEN 'MX' THEN '52' WHEN 'MEXICO' THEN '52' WHEN 'SG' THEN '65' WHEN 'SINGAPORE' THEN '65' WHEN 'ZA' THEN '27' WHEN 'SOUTH AFRICA' THEN '27' END AS calling_code, NULLIF(TRANSLATE(phone_main, ' ()-./+', ''), '') AS phone_digits, NULLIF(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(first_name, NFD), r'\pM', '')), r'[^a-z]+', ''), '') AS first_key, NULLIF(REGEXP_REPLACE(LOWER(REGEXP_REPLACE(NORMALIZE(REGEXP_REPLACE(LOWER(TRIM(last_name)), r'[ ,.]+(jr|sr|ii|iii|iv)\.?$', ''), NFD), r'\pM', '')), r'[^a-z]+', ''), '') AS last_key, NULLIF(REGEXP_EXTRACT(LOWER(TRIM(last_name)), r'[ ,.]+(jr|sr|ii|iii|iv)\.?$'), '') AS name_suffix FROM (SELECT person_input.*, NULLIF(LOWER(TRIM(email_raw, ' \t\n\r')), '') AS email, NULLIF(REGEXP_EXTRACT(LOWER(phone_raw), r'(?:;ext=|[ ,]*(?:extension|ext\.?|x|#)) *([0-9]{1,6}) *$'), '') AS phone_ext, REGEXP_REPLACE(LOWER(phone_raw), r'(?:;ext=|[ ,]*(?:extension|ext\.?|x|#)) *([0-9]{1,6}) *$', '') AS phone_main, CAST(NULL AS STRING) AS merged_into_key, NULLIF(TRIM(REGEXP_REPLACE(CAST(NULL AS STRING), r'[\s;,]+', ';'), ';'), '') AS merged_from_ids, NULLIF(TRIM(REGEXP_REPLACE(LOWER(CAST(NULL AS STRING)), r'[\s;,]+', ';'), ';'), '') AS alt_emails, COALESCE(CAST(NULL AS BOOL), FALSE) AS survivor_unnamed FROM typed AS person_input) AS person_normalized) AS person_checked) AS person
) AS s
ON t.`record_key` = s.`record_key`
WHEN MATCHED THEN UPDATE SET `loaded_at` = s.`loaded_at`
WHEN NOT MATCHED THEN INSERT (`record_key`, `loaded_at`) VALUES (s.`record_key`, s.`loaded_at`);
