-- intermediate/int_crm_merges.sql: first build (table)

CREATE OR REPLACE TABLE "staging"."int_crm_merges" AS
-- Records a CRM itself merged into another one, and the record they now live on:
-- HubSpot winners list their losers in hs_merged_object_ids; a Salesforce record merged away keeps
-- MasterRecordId; a converted Salesforce lead names the contact it became. Only live winners count.
with merges as (
  select h.source_name || ':contacts:' || trim(loser_id) as loser_key, h.record_key as winner_key
  from "staging"."stg_hubspot_contacts" as h, unnest(string_split(h.merged_ids, ';')) AS "loser_id_rows"("loser_id")
  where not h.is_deleted and h.merged_ids is not null and trim(loser_id) <> ''
  union all
  select c.record_key, c.source_name || ':Contact:' || c.merged_into_crm_id
  from "staging"."stg_salesforce_contacts" as c
  where c.merged_into_crm_id is not null
  union all
  select l.record_key, l.source_name || ':Lead:' || l.merged_into_crm_id
  from "staging"."stg_salesforce_leads" as l
  where l.merged_into_crm_id is not null
  union all
  select l.record_key, l.source_name || ':Contact:' || l.converted_contact_id
  from "staging"."stg_salesforce_leads" as l
  where l.converted_contact_id is not null and not l.is_deleted
),
ids as (
  select CAST('0x' || substr(md5(loser_key), 1, 15) AS BIGINT) as loser_id, CAST('0x' || substr(md5(winner_key), 1, 15) AS BIGINT) as winner_id from merges
),
live as (
  select record_id from "staging"."stg_hubspot_contacts" where not is_deleted and merged_ids is not null
  union all
  select record_id from "staging"."stg_salesforce_contacts" where not is_deleted
  union all
  select record_id from "staging"."stg_salesforce_leads" where not is_deleted
)
-- A loser listed by two winners (should not happen) follows the smallest one, so it has one winner.
select ids.loser_id, min(ids.winner_id) as winner_id
from ids
join live on live.record_id = ids.winner_id
where ids.loser_id <> ids.winner_id
group by ids.loser_id;
