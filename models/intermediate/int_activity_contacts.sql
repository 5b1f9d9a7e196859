{{ config(materialized='view') }}
-- Each live activity (call, email, meeting, note, task, event) with the person records it involves.
select d.record_id as activity_id, d.crm, d.activity_type, d.occurred_at,
       {{ hash_id("d.source_name || ':contacts:' || contact_id") }} as person_record_id
from {{ ref('stg_hubspot_activities') }} as d, {{ unnest_json_array('d.contact_crm_ids', 'contact_id') }}
where not d.is_deleted
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from {{ ref('stg_salesforce_activities') }}
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from {{ ref('stg_pipedrive_activities') }}
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from {{ ref('stg_zoho_activities') }}
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from {{ ref('stg_activecampaign_notes') }}
where not is_deleted and person_record_id is not null
union all
select record_id, crm, activity_type, occurred_at, person_record_id
from {{ ref('stg_dynamics_activities') }}
where not is_deleted and person_record_id is not null
