-- intermediate/int_person_sources.sql: first build (view)

CREATE OR REPLACE VIEW "staging"."int_person_sources" AS
-- Every person staging model (contacts, leads, persons of every CRM) in the one shape person_staging
-- gives them: the only place that lists them. A new CRM's people are one more branch here; identity
-- resolution (int_crm_merges, int_person_records and everything after) never names a CRM.
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_hubspot_contacts"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_salesforce_contacts"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_salesforce_leads"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_pipedrive_persons"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_zoho_contacts"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_zoho_leads"
union all
select record_key, record_id, source_name, crm, object, crm_id, email_present, email, email_valid, email_is_role, phone, email_key, first_name, last_name, name_key, job_title, company_name, company_name_key, company_record_id, company_domain, city, country, phone_ext, phone_key, first_key, last_key, name_suffix, alt_emails, merged_into_key, merged_from_ids, survivor_unnamed, created_at, updated_at, is_deleted, loaded_at from "staging"."stg_activecampaign_contacts";
