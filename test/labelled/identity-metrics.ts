import type { Warehouse } from '../../load/warehouse.js';
import { MATCH_RULES } from '../../transform/macros/match-rules.js';

/**
 * Pairwise precision and recall of identity resolution against labels.truth (test/labelled/raw-data.ts):
 * a pair of person records is predicted when both resolved to one customer, true when both are one
 * generated person. Only records analytics.customer_sources holds count (live ones, and those a CRM
 * merged away); a plain deleted record is in no pair.
 */
export interface PairFigures {
  readonly records: number;
  readonly truePairs: number;
  readonly predictedPairs: number;
  readonly correctPairs: number;
  readonly precision: number;
  readonly recall: number;
}

export interface RuleFigures {
  readonly rule: string;
  /** Links whose strongest rule this is, and the share of them joining one person. */
  readonly links: number;
  readonly linkPrecision: number;
  /** The whole resolution with this rule's links taken out (splits by cannot_link ignored). */
  readonly without: PairFigures;
}

async function one(warehouse: Warehouse, sql: string): Promise<Record<string, unknown>> {
  for await (const row of warehouse.query(sql)) return { ...row };
  throw new Error(`no row: ${sql}`);
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);

/** Pair figures of a relation (record_key, cluster) joined with the truth. */
async function pairFigures(warehouse: Warehouse, clusters: string): Promise<PairFigures> {
  const row = await one(
    warehouse,
    `WITH r AS (
       SELECT c.cluster, t.person FROM ${clusters} AS c JOIN labels.truth AS t ON t.record_key = c.record_key
     ),
     cells AS (SELECT cluster, person, COUNT(*) AS n FROM r GROUP BY cluster, person),
     by_cluster AS (SELECT SUM(n) AS n FROM cells GROUP BY cluster),
     by_person AS (SELECT SUM(n) AS n FROM cells GROUP BY person)
     SELECT (SELECT COUNT(*) FROM r) AS records,
            (SELECT SUM(n * (n - 1) / 2) FROM cells) AS correct,
            (SELECT SUM(n * (n - 1) / 2) FROM by_cluster) AS predicted,
            (SELECT SUM(n * (n - 1) / 2) FROM by_person) AS truth`,
  );
  const correct = Number(row['correct'] ?? 0);
  const predicted = Number(row['predicted'] ?? 0);
  const truth = Number(row['truth'] ?? 0);
  return {
    records: Number(row['records']),
    truePairs: truth,
    predictedPairs: predicted,
    correctPairs: correct,
    precision: ratio(correct, predicted),
    recall: ratio(correct, truth),
  };
}

/** The customers the models built, measured. */
export function overallFigures(warehouse: Warehouse): Promise<PairFigures> {
  return pairFigures(
    warehouse,
    '(SELECT record_key, customer_num AS cluster FROM analytics.customer_sources)',
  );
}

/**
 * Connected components of the model's edges without one rule's links, by label propagation with
 * pointer jumping (the int_identity_clusters algorithm, run here round by round).
 */
async function clustersWithout(warehouse: Warehouse, rule: number): Promise<void> {
  await warehouse.execute(
    `CREATE OR REPLACE TABLE labels.eval_edges AS SELECT record_id, neighbor_id FROM staging.int_identity_edges WHERE rule <> ${rule}`,
  );
  await warehouse.execute(
    'CREATE OR REPLACE TABLE labels.eval_labels AS SELECT record_id, least(record_id, MIN(neighbor_id)) AS label FROM labels.eval_edges GROUP BY record_id',
  );
  for (let round = 0; round < 100; round++) {
    await warehouse.execute(`CREATE OR REPLACE TABLE labels.eval_next AS
      SELECT l.record_id, least(l.label, COALESCE(n.label, l.label), COALESCE(j.label, l.label)) AS label
      FROM labels.eval_labels AS l
      LEFT JOIN (SELECT e.record_id, MIN(x.label) AS label FROM labels.eval_edges AS e JOIN labels.eval_labels AS x ON x.record_id = e.neighbor_id GROUP BY e.record_id) AS n
        ON n.record_id = l.record_id
      LEFT JOIN labels.eval_labels AS j ON j.record_id = l.label`);
    const changed = await one(
      warehouse,
      'SELECT COUNT(*) AS n FROM labels.eval_next AS a JOIN labels.eval_labels AS b USING (record_id) WHERE a.label <> b.label',
    );
    await warehouse.execute('CREATE OR REPLACE TABLE labels.eval_labels AS SELECT * FROM labels.eval_next');
    if (Number(changed['n']) === 0) return;
  }
  throw new Error('components did not settle in 100 rounds');
}

/** Per rule: its links, their precision, and the resolution without it. */
export async function ruleFigures(warehouse: Warehouse): Promise<RuleFigures[]> {
  const out: RuleFigures[] = [];
  for (const [index, rule] of MATCH_RULES.entries()) {
    const number = index + 1;
    const links = await one(
      warehouse,
      `SELECT COUNT(*) AS links, COALESCE(SUM(CASE WHEN ta.person = tb.person THEN 1 ELSE 0 END), 0) AS correct
       FROM staging.int_identity_edges AS e
       JOIN analytics.customer_sources AS a ON a.record_id = e.record_id
       JOIN analytics.customer_sources AS b ON b.record_id = e.neighbor_id
       JOIN labels.truth AS ta ON ta.record_key = a.record_key
       JOIN labels.truth AS tb ON tb.record_key = b.record_key
       WHERE e.record_id < e.neighbor_id AND e.rule = ${number}`,
    );
    await clustersWithout(warehouse, number);
    const without = await pairFigures(
      warehouse,
      `(SELECT s.record_key, COALESCE(l.label, s.record_id) AS cluster
        FROM analytics.customer_sources AS s LEFT JOIN labels.eval_labels AS l ON l.record_id = s.record_id)`,
    );
    out.push({
      rule: rule.name,
      links: Number(links['links']),
      linkPrecision: ratio(Number(links['correct']), Number(links['links'])),
      without,
    });
  }
  return out;
}

/** The figures as the Markdown table BENCHMARKS.md holds. */
export function formatFigures(label: string, overall: PairFigures, rules: readonly RuleFigures[]): string {
  const f = (x: number) => x.toFixed(4);
  const lines = [
    `${label}: ${overall.records.toLocaleString('en-US')} records, ${overall.truePairs.toLocaleString('en-US')} true pairs, ${overall.predictedPairs.toLocaleString('en-US')} predicted — precision ${f(overall.precision)}, recall ${f(overall.recall)}`,
    '',
    '| rule | links | link precision | precision without it | recall without it |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map(
      (r) =>
        `| ${r.rule} | ${r.links.toLocaleString('en-US')} | ${r.links === 0 ? '–' : f(r.linkPrecision)} | ${f(r.without.precision)} | ${f(r.without.recall)} |`,
    ),
  ];
  return lines.join('\n');
}
