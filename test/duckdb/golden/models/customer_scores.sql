-- analytics/customer_scores.sql: first build (table)

CREATE OR REPLACE TABLE "analytics"."customer_scores" AS
-- A transparent 0–100 score per customer; every component is a column, and this comment is the
-- formula (reverse ETL pushes `score` back into the CRMs).
--
--   fit (0–40)        = size_points + industry_points, from the customer's company
--     size_points     = 20 for 1000+ employees, 16 for 200–999, 12 for 50–199, 6 for 10–49,
--                       2 for 1–9, 0 when unknown
--     industry_points = 20 when the industry group is in models.scoring.targetIndustries,
--                       10 for any other known group, 0 when unknown
--   engagement (0–30) = 3 × activities_recent, capped at 30; activities_recent counts the calls,
--                       emails, meetings, notes, tasks and events on any of the customer's records in
--                       the last models.scoring.activityWindowDays days (default 90) before the run
--   value (0–30)      = 10 × log10(1 + won_deal_amount / 1000) + 5 × log10(1 + open_deal_amount / 1000),
--                       capped at 30, rounded to 2 decimals; the deals are those of the customer's company
--                       plus those linked to one of the customer's records but not to that company
--   completeness_penalty (0–10) = 2 × missing_fields, where missing_fields counts the empty ones
--                       among email, phone, full name, company domain and job title
--   score             = round(fit + engagement + value − completeness_penalty), clamped to 0–100
--   score_reasons     = the parts that moved the score, in that order, e.g. "size +16, target
--                       industry +20, 3 recent activities +9, deals +24, missing phone -2"
--                       (deals rounded to a whole number; parts that added nothing are left out)
with recent_activities as (
  select activity_id, person_record_id
  from "staging"."int_activity_contacts"
  where occurred_at >= TIMESTAMPTZ '2024-03-03 00:00:00.000+00' and occurred_at <= TIMESTAMPTZ '2024-06-01 00:00:00.000+00'
),
activity as (
  select s.customer_num, count(distinct a.activity_id) as activities_recent
  from recent_activities as a
  join "staging"."int_customer_map" as s on s.record_id = a.person_record_id
  group by s.customer_num
),
-- Deals of a customer's own records that are not deals of its company (those count through the company).
direct_deals as (
  select s.customer_num, d.deal_key, d.status, d.amount
  from "staging"."int_deal_contacts" as dc
  join "staging"."int_customer_map" as s on s.record_id = dc.person_record_id
  join "analytics"."deals" as d on d.deal_key = dc.deal_key
  join "analytics"."customers" as c on c.customer_num = s.customer_num
  where d.company_id is null or c.company_id is null or d.company_id <> c.company_id
),
direct_value as (
  select
    customer_num,
    sum(case when status = 'won' then coalesce(amount, 0) else 0 end) as won_amount,
    sum(case when status = 'open' then coalesce(amount, 0) else 0 end) as open_amount
  from (select distinct customer_num, deal_key, status, amount from direct_deals) as d
  group by customer_num
),
inputs as (
  select
    c.customer_id,
    c.email,
    c.hubspot_contact_id,
    c.salesforce_contact_id,
    c.salesforce_lead_id,
    c.pipedrive_person_id,
    c.zoho_contact_id,
    c.zoho_lead_id,
    c.activecampaign_contact_id,
    c.dynamics_contact_id,
    co.employees,
    co.industry_group,
    coalesce(a.activities_recent, 0) as activities_recent,
    coalesce(co.won_deal_amount, 0) + coalesce(v.won_amount, 0) as won_deal_amount,
    coalesce(co.open_deal_amount, 0) + coalesce(v.open_amount, 0) as open_deal_amount,
    (case when c.email is null then 1 else 0 end)
      + (case when c.phone is null then 1 else 0 end)
      + (case when c.full_name is null then 1 else 0 end)
      + (case when c.company_domain is null then 1 else 0 end)
      + (case when c.job_title is null then 1 else 0 end) as missing_fields,
    -- The same fields by name, for score_reasons.
    (case when c.email is null then ', email' else '' end)
      || (case when c.phone is null then ', phone' else '' end)
      || (case when c.full_name is null then ', name' else '' end)
      || (case when c.company_domain is null then ', company domain' else '' end)
      || (case when c.job_title is null then ', job title' else '' end) as missing_list
  from "analytics"."customers" as c
  left join "analytics"."companies" as co on co.company_id = c.company_id
  left join activity as a on a.customer_num = c.customer_num
  left join direct_value as v on v.customer_num = c.customer_num
),
components as (
  select
    inputs.*,
    case
      when employees >= 1000 then 20
      when employees >= 200 then 16
      when employees >= 50 then 12
      when employees >= 10 then 6
      when employees >= 1 then 2
      else 0
    end as size_points,
    case
      when COALESCE(LOWER(industry_group) IN ('software', 'finance', 'healthcare'), FALSE) then 20
      when industry_group is not null then 10
      else 0
    end as industry_points,
    least(30, 3 * activities_recent) as engagement_score,
    round(least(30.0, 10 * log10(1 + won_deal_amount / 1000.0) + 5 * log10(1 + open_deal_amount / 1000.0)), 2) as value_score,
    2 * missing_fields as completeness_penalty
  from inputs
),
reasons as (
  select
    components.*,
    (case when size_points > 0 then ', size +' || cast(size_points as VARCHAR) else '' end)
      || (case when industry_points = 20 then ', target industry +20' when industry_points > 0 then ', industry +' || cast(industry_points as VARCHAR) else '' end)
      || (case when engagement_score > 0 then ', ' || cast(activities_recent as VARCHAR) || (case when activities_recent = 1 then ' recent activity +' else ' recent activities +' end) || cast(engagement_score as VARCHAR) else '' end)
      || (case when round(value_score, 0) > 0 then ', deals +' || cast(cast(round(value_score, 0) as BIGINT) as VARCHAR) else '' end)
      || (case when completeness_penalty > 0 then ', missing ' || substr(missing_list, 3) || ' -' || cast(completeness_penalty as VARCHAR) else '' end) as reason_list
  from components
)
select
  customer_id,
  cast(greatest(0, least(100, round(size_points + industry_points + engagement_score + value_score - completeness_penalty, 0))) as BIGINT) as score,
  size_points + industry_points as fit_score,
  size_points,
  industry_points,
  engagement_score,
  value_score,
  completeness_penalty,
  coalesce(nullif(substr(reason_list, 3), ''), 'no signals') as score_reasons,
  employees,
  industry_group,
  activities_recent,
  won_deal_amount,
  open_deal_amount,
  missing_fields,
  email,
  hubspot_contact_id,
  salesforce_contact_id,
  salesforce_lead_id,
  pipedrive_person_id,
  zoho_contact_id,
  zoho_lead_id,
  activecampaign_contact_id,
  dynamics_contact_id,
  TIMESTAMPTZ '2024-06-01 00:00:00.000+00' as scored_at
from reasons;
