-- intermediate/int_activity_contacts.sql: first build (view)

CREATE OR REPLACE VIEW "staging"."int_activity_contacts" AS
-- Each live activity (call, email, meeting, note, task, event) with the person records it involves.
select d.record_id as activity_id, d.crm, d.activity_type, d.occurred_at,
       CAST('0x' || substr(md5(d.source_name || ':contacts:' || contact_id), 1, 15) AS BIGINT) as person_record_id
from "staging"."stg_hubspot_activities" as d, unnest(json_extract_string(d.contact_crm_ids, '$[*]')) AS "contact_id_rows"("contact_id")
where not d.is_deleted
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from "staging"."stg_salesforce_activities"
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from "staging"."stg_pipedrive_activities"
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from "staging"."stg_zoho_activities"
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from "staging"."stg_activecampaign_notes"
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from "staging"."stg_dynamics_activities"
where not is_deleted and person_record_id is not null;
