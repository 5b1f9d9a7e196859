import { escapeHtml } from './html.js';
import { type Layout, NODE_HEIGHT, NODE_WIDTH } from './lineage.js';

/**
 * The lineage as inline SVG, drawn when the site is generated: it renders from disk with no script
 * and no library. Model nodes link to their pages (`hrefOf`); `focus` highlights one model and its
 * direct neighbours.
 */
export function lineageSvg(layout: Layout, hrefOf: (model: string) => string, focus?: string): string {
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  const near = new Set<string>();
  if (focus !== undefined) {
    near.add(`model:${focus}`);
    for (const [from, to] of layout.edges) {
      if (from === `model:${focus}`) near.add(to);
      if (to === `model:${focus}`) near.add(from);
    }
  }
  const edges = layout.edges
    .map(([from, to]) => {
      const a = at.get(from);
      const b = at.get(to);
      if (!a || !b) return '';
      const x1 = a.x + NODE_WIDTH;
      const y1 = a.y + NODE_HEIGHT / 2;
      const x2 = b.x;
      const y2 = b.y + NODE_HEIGHT / 2;
      const mid = (x1 + x2) / 2;
      const lit = focus !== undefined && (from === `model:${focus}` || to === `model:${focus}`);
      return `<path class="edge${lit ? ' lit' : ''}" d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}"/>`;
    })
    .join('\n');
  const nodes = layout.nodes
    .map((n) => {
      const dim = focus !== undefined && !near.has(n.id) ? ' dim' : '';
      const current = n.id === `model:${focus}` ? ' current' : '';
      const label = n.label.length > 30 ? `${n.label.slice(0, 29)}…` : n.label;
      const box =
        `<g class="node ${n.kind}${dim}${current}" data-id="${escapeHtml(n.id)}" transform="translate(${n.x},${n.y})">` +
        `<title>${escapeHtml(`${n.label} (${n.detail})`)}</title>` +
        `<rect width="${NODE_WIDTH}" height="${NODE_HEIGHT}" rx="6"/>` +
        `<text x="8" y="14">${escapeHtml(label)}</text>` +
        `<text class="detail" x="8" y="27">${escapeHtml(n.detail)}</text></g>`;
      return n.model === undefined ? box : `<a href="${escapeHtml(hrefOf(n.model))}">${box}</a>`;
    })
    .join('\n');
  return (
    `<svg class="lineage" xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" ` +
    `viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="Lineage: CRM raw tables, models, reverse syncs">\n` +
    `${edges}\n${nodes}\n</svg>`
  );
}
