import type { CompileContext } from '../compile/compile-context.js';
import type { BoundCall, MacroDefinition } from './macro-definition.js';
import { MacroArgs, macroError } from './macro-definition.js';
import { MATCH_RULES, matchRuleNumber } from './match-rules.js';
import { NICKNAMES } from './nicknames.js';

/**
 * A small constant relation with text columns, written with the dialect functions every warehouse
 * already has (one string literal split into lines, each line into fields): no VALUES syntax to
 * translate, and no UNION ALL chain a few thousand rows deep.
 */
function literalRelation(ctx: CompileContext, columns: readonly string[], rows: readonly string[][]): string {
  const d = ctx.dialect;
  if (rows.length === 0) return `(${d.emptyRelation(columns.map((name) => ({ name, type: 'string' })))})`;
  const text = rows.map((r) => r.join('\t')).join('\n');
  const fields = columns.map(
    (c, i) => `NULLIF(${d.splitPart('literal_line', '\t', i + 1)}, '') AS ${d.quoteIdent(c)}`,
  );
  return `(SELECT ${fields.join(', ')} FROM ${d.unnestSplit(d.string(text), '\n', 'literal_line')})`;
}

function ruleNumber(call: BoundCall, ctx: CompileContext, name: string): number {
  const n = matchRuleNumber(name);
  if (n === undefined)
    throw macroError(
      ctx,
      call,
      `no match rule "${name}" (rules: ${MATCH_RULES.map((r) => r.name).join(', ')})`,
    );
  return n;
}

/** Whether a rule runs: the optional ones follow config models.identity. */
function ruleEnabled(ctx: CompileContext, name: string): boolean {
  if (name === 'near_name') return ctx.config.identity.nearNames;
  return true;
}

/** Macros of identity resolution: the named rules, the nickname table, the user's corrections. */
export const MATCH_MACROS: Readonly<Record<string, MacroDefinition>> = {
  match_rule: {
    signature: "match_rule('name')",
    summary:
      'The number a rule is stored as (its place in transform/macros/match-rules.ts, 1 = strongest): crm_merge, must_link, email, phone, name_company_domain, name_company_name, name_phone, near_name.',
    render(call, ctx) {
      return String(ruleNumber(call, ctx, new MacroArgs(call, ctx, this.signature).count(1).text(0)));
    },
  },
  match_rule_name: {
    signature: "match_rule_name('expr')",
    summary: "The rule's name for a stored rule number; 'none' when NULL (a record that matched nothing).",
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const whens = MATCH_RULES.map((r, i) => `WHEN ${i + 1} THEN ${ctx.dialect.string(r.name)}`);
      return `(CASE ${e} ${whens.join(' ')} ELSE 'none' END)`;
    },
  },
  match_rule_enabled: {
    signature: "match_rule_enabled('name')",
    summary: 'TRUE or FALSE: whether the rule runs (optional rules follow config models.identity).',
    render(call, ctx) {
      const name = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      ruleNumber(call, ctx, name);
      return ruleEnabled(ctx, name) ? 'TRUE' : 'FALSE';
    },
  },
  nicknames: {
    signature: 'nicknames()',
    summary:
      'A relation (nickname, name) of common first-name nicknames (bob → robert, liz → elizabeth), lower-case letters only like name_part_key; a nickname of several names has a row for each.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      const rows = NICKNAMES.flatMap(([nick, names]) => names.map((name) => [nick, name]));
      return literalRelation(ctx, ['nickname', 'name'], rows);
    },
  },
  identity_overrides: {
    signature: 'identity_overrides()',
    summary:
      'A relation (kind, crm, crm_id, other_crm, other_crm_id) of the must_link / cannot_link pairs in identity_overrides.csv in the models folder; empty without the file.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      const rows = (ctx.overrides ?? []).map((o) => [o.kind, o.crm, o.id, o.otherCrm, o.otherId]);
      return literalRelation(ctx, ['kind', 'crm', 'crm_id', 'other_crm', 'other_crm_id'], rows);
    },
  },
};
