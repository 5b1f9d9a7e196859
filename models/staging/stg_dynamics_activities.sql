{{ config(materialized='incremental', unique_key='record_key') }}
-- Dynamics 365 phone calls, emails, tasks and appointments (activities). Their regardingobjectid
-- names the row they are about: a contact or a lead counts for that person (accounts and
-- opportunities count through the company and the deal instead).
with typed as (
  select
    s._tide_source || ':phonecalls:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'phonecalls' as object,
    s._tide_id as crm_id,
    'call' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'phonecalls') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':emails:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'emails' as object,
    s._tide_id as crm_id,
    'email' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'emails') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':tasks:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'tasks' as object,
    s._tide_id as crm_id,
    'task' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'tasks') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
  union all
  select
    s._tide_source || ':appointments:' || s._tide_id as record_key,
    s._tide_source as source_name,
    'dynamics' as crm,
    'appointments' as object,
    s._tide_id as crm_id,
    'meeting' as activity_type,
    coalesce(s.actualend, s.scheduledstart, s.createdon, s._tide_updated_at) as occurred_at,
    case s.regardingobjectid_type
      when 'contact' then s._tide_source || ':contacts:' || lower(s.regardingobjectid)
      when 'lead' then s._tide_source || ':leads:' || lower(s.regardingobjectid)
    end as person_record_key,
    coalesce(s.modifiedon, s._tide_updated_at) as updated_at,
    coalesce(s._tide_deleted, false) as is_deleted,
    s._tide_loaded_at as loaded_at
  from {{ source('dynamics', 'appointments') }} as s
  where {{ incremental_since('s._tide_loaded_at', 'loaded_at') }}
)
select
  record_key,
  {{ hash_id('record_key') }} as record_id,
  source_name,
  crm,
  object,
  crm_id,
  activity_type,
  occurred_at,
  {{ hash_id('person_record_key') }} as person_record_id,
  updated_at,
  is_deleted,
  loaded_at
from typed
