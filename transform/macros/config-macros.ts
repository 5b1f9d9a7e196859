import type { CompileContext } from '../compile/compile-context.js';
import { requiredFieldsFor } from '../models-config.js';
import { MacroArgs, type MacroDefinition, macroError } from './macro-definition.js';

/**
 * Survivorship keys are one BIGINT (comparing one number is several times cheaper than comparing a
 * row of values in DuckDB's aggregates): rank · 10^17 + (10^10 − epoch seconds) · 10^7 + the last 7
 * decimal digits of a record id. Epoch seconds stay below 10^10 until the year 2286; ranks up to 91
 * fit a BIGINT.
 */
const RANK_STEP = '100000000000000000';
const SECONDS_STEP = '10000000';

function sourceRank(ctx: CompileContext, crm: string, field: string | undefined): string {
  const order =
    (field !== undefined ? ctx.config.fieldPriority[field] : undefined) ?? ctx.config.sourcePriority;
  const whens = order.map((kind, i) => `WHEN ${ctx.dialect.string(kind)} THEN ${i + 1}`);
  return `(CASE ${crm} ${whens.join(' ')} ELSE ${order.length + 1} END)`;
}

/**
 * The stream names a sync's object may correspond to: as written, and the plural lower-case form
 * HubSpot and Pipedrive streams use (Contact → contacts, Opportunity → opportunities).
 */
function streamNamesFor(object: string): string[] {
  const lower = object.toLowerCase();
  const plural = lower.endsWith('s') ? lower : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  return [...new Set([object, plural])];
}

/** Macros whose SQL comes from the `models` section of the pipeline config. */
export const CONFIG_MACROS: Readonly<Record<string, MacroDefinition>> = {
  source_rank: {
    signature: "source_rank('crm_expr'[, 'field'])",
    summary:
      'Position of a CRM in models.sourcePriority (or models.fieldPriority[field]); 1 = most trusted, unlisted CRMs last.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(1, 2);
      return sourceRank(ctx, a.text(0), a.optionalText(1));
    },
  },
  survivor_key: {
    signature: "survivor_key('crm_expr', 'modified_at_expr', 'record_id_expr'[, 'field'])",
    summary:
      'Survivorship order for first_non_null_by, as one number: best source first, then the most recently modified record, then (ties) the record id.',
    render(call, ctx) {
      const a = new MacroArgs(call, ctx, this.signature).count(3, 4);
      const seconds = `COALESCE(${ctx.dialect.epochSeconds(a.text(1))}, 0)`;
      const rank = sourceRank(ctx, a.text(0), a.optionalText(3));
      return `(${rank} * ${RANK_STEP} + (10000000000 - ${seconds}) * ${SECONDS_STEP} + MOD(${a.text(2)}, ${SECONDS_STEP}))`;
    },
  },
  is_target_industry: {
    signature: "is_target_industry('expr')",
    summary: 'TRUE when the value is one of models.scoring.targetIndustries (case-insensitive).',
    render(call, ctx) {
      const e = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const list = ctx.config.scoring.targetIndustries.map((i) => ctx.dialect.string(i.toLowerCase()));
      return list.length === 0 ? 'FALSE' : `COALESCE(LOWER(${e}) IN (${list.join(', ')}), FALSE)`;
    },
  },
  activity_window_start: {
    signature: 'activity_window_start()',
    summary: 'run_started_at() minus models.scoring.activityWindowDays, as a timestamp literal.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      const days = ctx.config.scoring.activityWindowDays;
      return ctx.dialect.timestamp(new Date(ctx.runStartedAt.getTime() - days * 86_400_000));
    },
  },
  sync_targets: {
    signature: 'sync_targets()',
    summary:
      'A relation (sync, source_name, object) of the reverse-ETL syncs in config; object is the stream name it most likely is (Contact → Contact and contacts both listed).',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      const d = ctx.dialect;
      const rows = ctx.syncs.flatMap((sync) =>
        streamNamesFor(sync.object).map(
          (object) =>
            `SELECT ${d.string(sync.name)} AS sync, ${d.string(sync.source)} AS source_name, ${d.string(object)} AS object`,
        ),
      );
      if (rows.length === 0) {
        return `(${d.emptyRelation([
          { name: 'sync', type: 'string' },
          { name: 'source_name', type: 'string' },
          { name: 'object', type: 'string' },
        ])})`;
      }
      return `(${rows.join(' UNION ALL ')})`;
    },
  },
  required_completion: {
    signature: "required_completion('crm.object')",
    summary:
      'Per row, the share (0–1) of the required fields of models.requiredFields["crm.object"] that are not NULL; NULL when none are configured.',
    render(call, ctx) {
      const key = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      if (!/^[a-z][a-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/.test(key))
        throw macroError(ctx, call, `"${key}" is not crm.object`);
      const fields = requiredFieldsFor(ctx.config, key);
      if (!fields || fields.length === 0) return `CAST(NULL AS ${ctx.dialect.type('number')})`;
      const terms = fields.map(
        (f) => `(CASE WHEN ${ctx.dialect.quoteIdent(f)} IS NOT NULL THEN 1 ELSE 0 END)`,
      );
      return `(CAST(${terms.join(' + ')} AS ${ctx.dialect.type('number')}) / ${fields.length})`;
    },
  },
};
