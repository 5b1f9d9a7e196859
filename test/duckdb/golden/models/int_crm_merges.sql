-- intermediate/int_crm_merges.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_crm_merges" AS
-- Records a CRM merged into another one, and the record they now live on. Every CRM reports merges
-- through person_staging's merge columns, so nothing here names a CRM:
-- - merged_into_key: the survivor's record key (Salesforce MasterRecordId on the merged-away record,
--   a converted lead's contact);
-- - merged_from_ids: the ids a record replaced (HubSpot hs_merged_object_ids: a merge creates a new
--   record with a new id, and the replaced ids are listed nowhere else any more). from_list marks
--   these: the survivor is new, so the customer keeps the id of the records it replaced
--   (int_customer_map);
-- - a CRM that deletes the merged-away record without naming its survivor (Pipedrive: its staging
--   model sets survivor_unnamed) leaves the survivor holding its emails: such a deleted record follows
--   the live record of the same source and object that now has its email (any of its emails). A plain
--   delete in a CRM that names its survivors is a delete, never a merge.
-- Only live winners count; a loser with several winners follows the smallest, so it has one.
with persons as (
  select record_id, source_name, object, email_key, alt_emails, is_deleted, merged_into_key, merged_from_ids, survivor_unnamed
  from "staging"."int_person_sources"
),
stated as (
  select record_id as loser_id, CAST('0x' || substr(md5(merged_into_key), 1, 15) AS BIGINT) as winner_id, false as from_list
  from persons
  where merged_into_key is not null
  union all
  select CAST('0x' || substr(md5(p.source_name || ':' || p.object || ':' || trim(loser_id)), 1, 15) AS BIGINT), p.record_id, true
  from persons as p, unnest(string_split(p.merged_from_ids, ';')) AS "loser_id_rows"("loser_id")
  where not p.is_deleted and p.merged_from_ids is not null and trim(loser_id) <> ''
),
orphans as (
  select record_id, source_name, object, email_key
  from persons
  where is_deleted and survivor_unnamed and merged_into_key is null and email_key is not null
),
holders as (
  -- Live records holding an orphan's email, as their email or one of their other emails.
  select record_id, source_name, object, email_key
  from persons
  where not is_deleted and email_key in (select email_key from orphans)
  union all
  select a.record_id, a.source_name, a.object, a.email_key
  from (
    select p.record_id, p.source_name, p.object, CAST('0x' || substr(md5(alt_email), 1, 15) AS BIGINT) as email_key
    from persons as p, unnest(string_split(p.alt_emails, ';')) AS "alt_email_rows"("alt_email")
    where not p.is_deleted and p.alt_emails is not null
      and COALESCE(regexp_matches(alt_email, '^[a-z0-9!#$%&''*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&''*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$'), FALSE) and not COALESCE(split_part(alt_email, '@', 1) IN ('info', 'sales', 'support', 'admin', 'contact', 'hello', 'office', 'team', 'billing', 'marketing', 'help', 'service', 'enquiries', 'inquiries', 'careers', 'jobs', 'hr', 'accounts', 'finance', 'webmaster', 'postmaster', 'noreply', 'no-reply', 'donotreply'), FALSE)
  ) as a
  where a.email_key in (select email_key from orphans)
),
inferred as (
  select o.record_id as loser_id, h.record_id as winner_id, false as from_list
  from orphans as o
  join holders as h on h.email_key = o.email_key
  where h.source_name = o.source_name and h.object = o.object and h.record_id <> o.record_id
),
candidates as (
  select s.loser_id, s.winner_id, s.from_list, 0 as inferred from stated as s
  union all
  select loser_id, winner_id, from_list, 1 from inferred
),
live_candidates as (
  select c.*, min(c.inferred) over (partition by c.loser_id) as best_kind
  from candidates as c
  join persons as w on w.record_id = c.winner_id
  where not w.is_deleted and c.loser_id <> c.winner_id
)
-- A stated survivor wins over one inferred from an email.
select loser_id, min(winner_id) as winner_id, max(case when from_list then 1 else 0 end) = 1 as from_list
from live_candidates
where inferred = best_kind
group by loser_id;
