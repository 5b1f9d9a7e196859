{{ config(materialized='incremental', unique_key='record_key') }}
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
    cast(null as {{ sql_type('timestamp') }}) as close_date,
    nullif(trim(s.contact), '') as contact_crm_id,
    s._tide_source || ':accounts:' || nullif(trim(s.account), '') as company_record_key,
    coalesce(s.cdate, s._tide_updated_at) as created_at,
    coalesce(s.mdate, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('activecampaign', 'deals') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  typed.*,
  {{ hash_id('record_key') }} as record_id,
  {{ hash_id('company_record_key') }} as company_record_id,
  case when contact_crm_id is not null then {{ hash_id("source_name || ':contacts:' || contact_crm_id") }} end as person_record_id
from typed
