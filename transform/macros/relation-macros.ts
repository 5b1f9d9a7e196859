import { sourceRelation } from '../compile/source-relation.js';
import { MacroArgs, type MacroDefinition, macroError } from './macro-definition.js';

/**
 * Macros that name relations or describe the run. `config` and `repeat_until_stable` are read by the
 * project loader and the compiler; they render to nothing.
 */
export const RELATION_MACROS: Readonly<Record<string, MacroDefinition>> = {
  ref: {
    signature: "ref('model')",
    summary: 'The quoted, qualified relation of another model; also orders the models.',
    render(call, ctx) {
      const name = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const target = ctx.relations.get(name);
      if (!target) throw macroError(ctx, call, `no model named "${name}"`);
      return ctx.dialect.relation(target);
    },
  },
  source: {
    signature: "source('crm', 'stream')",
    summary:
      'A raw CRM stream with the columns declared in models/sources.json; empty (same columns) when that CRM is not configured or not loaded yet.',
    render(call, ctx) {
      const args = new MacroArgs(call, ctx, this.signature).count(2);
      const kind = args.text(0);
      const stream = args.text(1);
      const columns = ctx.declarations.get(kind)?.get(stream);
      if (!columns) throw macroError(ctx, call, `"${kind}.${stream}" is not declared in models/sources.json`);
      return sourceRelation({
        kind,
        stream,
        columns,
        sources: ctx.sources,
        catalog: ctx.catalog,
        dialect: ctx.dialect,
      });
    },
  },
  this: {
    signature: 'this',
    summary: "The model's own relation (incremental filters, iterative steps, data tests).",
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      return ctx.dialect.relation(ctx.self);
    },
  },
  config: {
    signature:
      "config(materialized='table', unique_key='id', schema='analytics', max_iterations=50, full_refresh=true)",
    summary: 'How the model is built (see Materializations); renders nothing.',
    render: () => '',
  },
  repeat_until_stable: {
    signature: 'repeat_until_stable()',
    summary:
      'Iterative models only: separates the seed query (before) from the step query (after), which reads {{ this }} and runs until it changes no row.',
    render: () => '',
  },
  is_incremental: {
    signature: 'is_incremental()',
    summary: 'TRUE when this build merges into an existing target, FALSE on a full build.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      return ctx.incremental ? 'TRUE' : 'FALSE';
    },
  },
  incremental_since: {
    signature: "incremental_since('source_expr', 'target_column')",
    summary:
      'A condition keeping only rows loaded since the last run: source_expr > MAX(target_column) of {{ this }}; TRUE on a full build or an empty target.',
    render(call, ctx) {
      const args = new MacroArgs(call, ctx, this.signature).count(2);
      if (!ctx.incremental) return 'TRUE';
      // Strictly later: a load's rows share one _tide_loaded_at, and loads commit one at a time, so
      // the newest value already merged marks exactly what this model has seen.
      const target = ctx.dialect.quoteIdent(args.text(1));
      return `COALESCE(${args.text(0)} > (SELECT MAX(${target}) FROM ${ctx.dialect.relation(ctx.self)}), TRUE)`;
    },
  },
  run_started_at: {
    signature: 'run_started_at()',
    summary: 'The run start as a timestamp literal: "now" for every model of one run alike.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      return ctx.dialect.timestamp(ctx.runStartedAt);
    },
  },
  run_id: {
    signature: 'run_id()',
    summary: 'The run id as a string literal.',
    render(call, ctx) {
      new MacroArgs(call, ctx, this.signature).count(0);
      return ctx.dialect.string(ctx.runId);
    },
  },
  var: {
    signature: "var('name')",
    summary: 'A value from config models.vars as a SQL literal (a list becomes a parenthesised list for IN).',
    render(call, ctx) {
      const name = new MacroArgs(call, ctx, this.signature).count(1).text(0);
      const value = ctx.config.vars[name];
      if (value === undefined) throw macroError(ctx, call, `models.vars has no "${name}" (config)`);
      if (Array.isArray(value)) return `(${value.map((v) => ctx.dialect.string(v)).join(', ')})`;
      if (typeof value === 'string') return ctx.dialect.string(value);
      if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
      return String(value);
    },
  },
};
