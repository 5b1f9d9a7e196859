/**
 * The identity-resolution rules, by name, in one place. A link between two person records carries
 * the strongest rule that found it (earlier in this list = stronger); models store the rule as its
 * position (a small integer is cheap to group on) and show its name (`match_rule_name`), so the
 * names below are what analysts see in customer_sources.match_rule and customer_matches.rule.
 * The SQL of each rule is in models/intermediate/int_identity_edges.sql, under the same name.
 */
export interface MatchRule {
  readonly name: string;
  readonly summary: string;
  /** Off unless config models.identity turns it on. */
  readonly optional?: true;
}

export const MATCH_RULES: readonly MatchRule[] = [
  {
    name: 'crm_merge',
    summary:
      'the CRM merged the records itself (HubSpot hs_merged_object_ids, Salesforce MasterRecordId or a converted lead, a deleted record whose email its survivor now holds)',
  },
  { name: 'must_link', summary: 'a must_link pair in the overrides file (identity_overrides.csv)' },
  { name: 'email', summary: 'the same valid, non-role email (any of a record’s emails)' },
  {
    name: 'phone',
    summary:
      'the same E.164 phone with the same extension, when the number is personal: not shared by several names, not a company’s main number',
  },
  {
    name: 'name_company_domain',
    summary: 'the same full name at the same company domain, when no evidence conflicts',
  },
  {
    name: 'name_company_name',
    summary:
      'the same full name at the same company name (legal forms removed), when no evidence conflicts and the records name no two domains',
  },
  {
    name: 'name_phone',
    summary:
      'the same full name on the same shared phone (a switchboard supports a name, never links on its own), when no evidence conflicts',
  },
  {
    name: 'near_name',
    summary:
      'a near name (nickname or one edit in the first or last name, same generational suffix) at the same company, when no evidence conflicts',
    optional: true,
  },
];

/** The rule's position (1 = strongest); unknown names are an error for the caller to report. */
export function matchRuleNumber(name: string): number | undefined {
  const i = MATCH_RULES.findIndex((r) => r.name === name);
  return i < 0 ? undefined : i + 1;
}
