/** Where every stage logs; fields are structured (JSON lines under --json), never inside the text. */
export interface Logger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/**
 * A logger whose every line carries `fields` (the source and stream, the sync or the model a part of
 * the work is about), so they arrive as fields a log shipper can filter on, not inside the text.
 */
export function withFields(log: Logger, fields: Readonly<Record<string, unknown>>): Logger {
  return {
    info: (message, more) => log.info(message, { ...fields, ...more }),
    warn: (message, more) => log.warn(message, { ...fields, ...more }),
    error: (message, more) => log.error(message, { ...fields, ...more }),
    debug: (message, more) => log.debug(message, { ...fields, ...more }),
  };
}
