/** The report's stylesheet (inline: the file must open alone, from disk). */
export const REPORT_STYLE = `
:root { color-scheme: light; --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bad: #d50000; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 20px 28px 40px; color: var(--fg);
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #fff; }
header h1 { margin: 0; font-size: 22px; }
h2 { font-size: 16px; margin: 26px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 13px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 2px 0 8px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 14px; }
figure.chart { margin: 0; padding: 10px 12px 6px; border: 1px solid var(--line); border-radius: 6px; }
#runs figure.chart { margin-bottom: 12px; }
figcaption { display: flex; flex-direction: column; margin-bottom: 6px; }
figcaption span { color: var(--muted); font-size: 11px; }
.box { position: relative; height: 210px; }
#runs .box { height: 170px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 12px; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.bad { color: var(--bad); font-weight: 600; background: #fff0f0; }
tr.failed td { background: #fff0f0; }
tr.partial td, tr.running td { background: #fffbea; }
tr.stale td { background: #fffbea; }
.ok { color: #2e7d32; font-weight: 600; }
.warn { color: #8a6d00; background: #fffbea; padding: 6px 10px; border-radius: 4px; }
.breaches { border: 1px solid var(--bad); border-radius: 6px; padding: 4px 14px; background: #fff6f6; }
.breaches h2 { color: var(--bad); border: 0; margin: 8px 0 4px; }
.tag { background: var(--bad); color: #fff; border-radius: 3px; padding: 0 4px; font-size: 11px; }
footer { margin-top: 30px; color: var(--muted); font-size: 11px; }
`;
