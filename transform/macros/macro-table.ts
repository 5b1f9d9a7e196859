import { CONFIG_MACROS } from './config-macros.js';
import { DIALECT_MACROS } from './dialect-macros.js';
import { IDENTITY_MACROS } from './identity-macros.js';
import type { MacroDefinition } from './macro-definition.js';
import { MATCH_MACROS } from './match-macros.js';
import { RELATION_MACROS } from './relation-macros.js';
import { STAGING_MACROS } from './staging-macros.js';

/** Every macro a model may call, by group (transform/README.md lists the same table). */
export const MACRO_GROUPS: readonly {
  readonly title: string;
  readonly macros: Readonly<Record<string, MacroDefinition>>;
}[] = [
  { title: 'Relations and the run', macros: RELATION_MACROS },
  { title: 'Dialect (warehouse differences)', macros: DIALECT_MACROS },
  { title: 'Identity rules', macros: IDENTITY_MACROS },
  { title: 'Identity resolution', macros: MATCH_MACROS },
  { title: 'Staging', macros: STAGING_MACROS },
  { title: 'Config-driven', macros: CONFIG_MACROS },
];

export const MACROS: ReadonlyMap<string, MacroDefinition> = new Map(
  MACRO_GROUPS.flatMap((group) => Object.entries(group.macros)),
);
