{{ config(materialized='incremental', unique_key='record_key') }}
-- OpportunityContactRole: every contact that plays a role in an opportunity.
with typed as (
  select
    s._tide_source || ':OpportunityContactRole:' || s._tide_id as record_key,
    s._tide_source || ':Opportunity:' || s.opportunity_id as deal_key,
    s._tide_source || ':Contact:' || s.contact_id as person_record_key,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('salesforce', 'OpportunityContactRole') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select typed.*, {{ hash_id('person_record_key') }} as person_record_id
from typed
