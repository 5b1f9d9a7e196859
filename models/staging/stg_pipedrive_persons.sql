{{ config(materialized='incremental', unique_key='record_key') }}
-- Pipedrive persons. Emails and phones are lists: the primary one (else the first) is the person's, the
-- next ones match too (alt_emails). A merge deletes the merged-away person without naming its
-- survivor, which keeps its emails: int_crm_merges follows it there.
-- Pipedrive has no first/last name on every account plan: they are split from `name` when both are
-- missing (a person with only a last name has it as `name` too: it is no first name).
-- Identity fields are normalized by person_staging.
with typed as (
  select
    _tide_source || ':persons:' || _tide_id as record_key,
    _tide_source as source_name,
    'pipedrive' as crm,
    'persons' as object,
    _tide_id as crm_id,
    coalesce(primary_email, {{ json_text('emails', 0, 'value') }}) as email_raw,
    coalesce(primary_phone, {{ json_text('phones', 0, 'value') }}) as phone_raw,
    -- The list's other addresses (the first three), without the one that is the person's email.
    concat(
      case when lower(trim({{ json_text('emails', 0, 'value') }})) <> lower(trim(coalesce(primary_email, {{ json_text('emails', 0, 'value') }}))) then {{ json_text('emails', 0, 'value') }} else '' end, ';',
      case when lower(trim({{ json_text('emails', 1, 'value') }})) <> lower(trim(coalesce(primary_email, {{ json_text('emails', 0, 'value') }}))) then {{ json_text('emails', 1, 'value') }} else '' end, ';',
      case when lower(trim({{ json_text('emails', 2, 'value') }})) <> lower(trim(coalesce(primary_email, {{ json_text('emails', 0, 'value') }}))) then {{ json_text('emails', 2, 'value') }} else '' end
    ) as alt_emails,
    case
      when nullif(trim(first_name), '') is not null or nullif(trim(last_name), '') is not null then nullif(trim(first_name), '')
      else nullif({{ split_part('trim(name)', ' ', 1) }}, '')
    end as first_name,
    case
      when nullif(trim(first_name), '') is not null or nullif(trim(last_name), '') is not null then nullif(trim(last_name), '')
      else nullif(trim(substr(trim(name), length({{ split_part('trim(name)', ' ', 1) }}) + 1)), '')
    end as last_name,
    nullif(trim(job_title), '') as job_title,
    cast(null as {{ sql_type('string') }}) as company_name,
    _tide_source || ':organizations:' || nullif(trim(org_id), '') as company_record_key,
    cast(null as {{ sql_type('string') }}) as website_domain,
    cast(null as {{ sql_type('string') }}) as city,
    cast(null as {{ sql_type('string') }}) as country,
    coalesce(add_time, _tide_updated_at) as created_at,
    coalesce(update_time, _tide_updated_at) as updated_at,
    coalesce(_tide_deleted, false) as is_deleted,
    _tide_loaded_at as loaded_at
  from {{ source('pipedrive', 'persons') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
{{ person_staging('typed', alt_emails='alt_emails', survivor_unnamed='is_deleted') }}
