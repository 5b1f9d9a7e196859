import { escapeHtml } from '../../core/escape-html.js';

export { escapeHtml };

/** A whole page: every page of the site shares the head, the stylesheet and the top bar. */
export function page(title: string, root: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tide models</title>
<link rel="stylesheet" href="${root}style.css">
</head>
<body>
<header><a href="${root}index.html">Tide models</a></header>
<main>
${body}
</main>
</body>
</html>
`;
}

export const STYLE = `
:root { --ink: #1d2733; --muted: #5b6775; --line: #d5dbe3; --raw: #eef4ff; --model: #f2fbf4; --sync: #fff6ea; --tide: #f4f1fb; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, Segoe UI, sans-serif; color: var(--ink); }
header { padding: 10px 24px; background: #0f3d5e; }
header a { color: #fff; font-weight: 600; text-decoration: none; }
main { padding: 16px 24px 48px; max-width: 1400px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; }
p.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; }
pre { background: #f6f8fa; padding: 12px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.graph { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fbfcfd; }
.lineage .edge { fill: none; stroke: #9aa7b5; stroke-width: 1.2; }
.lineage .edge.lit { stroke: #0f6cbd; stroke-width: 2; }
.lineage .node rect { stroke: #8796a8; stroke-width: 1; }
.lineage .node.raw rect { fill: var(--raw); }
.lineage .node.tide rect { fill: var(--tide); }
.lineage .node.model rect { fill: var(--model); }
.lineage .node.sync rect { fill: var(--sync); }
.lineage .node.current rect { stroke: #0f6cbd; stroke-width: 2.5; }
.lineage .node.dim { opacity: 0.35; }
.lineage text { font-size: 12px; fill: var(--ink); }
.lineage text.detail { font-size: 10.5px; fill: var(--muted); }
.lineage a:hover rect { stroke: #0f6cbd; }
.status-pass, .status-success { color: #0a7a35; }
.status-fail, .status-error { color: #b3261e; font-weight: 600; }
.status-warn { color: #9a6700; }
`;
