import { escapeHtml } from '../../core/escape-html.js';

/** The few HTML pieces every section of the report writes. */

export function table(header: readonly string[], rows: readonly string[]): string {
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function num(value: number | undefined | null): string {
  return value === undefined || value === null ? '–' : value.toLocaleString('en-US');
}

/** Text made safe for HTML element content and attribute values. */
export const esc = escapeHtml;
