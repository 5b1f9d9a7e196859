import { describe, expect, it } from 'vitest';
import { MAX_OVERRIDES, parseIdentityOverrides } from '../../transform/project/identity-overrides.js';
import { BUNDLED_MODELS_DIR, loadProject } from '../../transform/project/load-project.js';

const HEADER = 'kind,crm,id,other_crm,other_id,note';

describe('identity_overrides.csv', () => {
  it('reads pairs, skipping comments and blank lines; note is optional and may be quoted', () => {
    const pairs = parseIdentityOverrides(
      `# corrections\n${HEADER}\n\nmust_link,hubspot,101,pipedrive,201,"same person, two emails"\n# kept apart\ncannot_link , sf_prod , 003A1 , hubspot , 7\n`,
    );
    expect(pairs).toEqual([
      { kind: 'must_link', crm: 'hubspot', id: '101', otherCrm: 'pipedrive', otherId: '201', line: 4 },
      { kind: 'cannot_link', crm: 'sf_prod', id: '003A1', otherCrm: 'hubspot', otherId: '7', line: 6 },
    ]);
    expect(parseIdentityOverrides('kind,crm,id,other_crm,other_id\n')).toEqual([]);
    expect(parseIdentityOverrides('')).toEqual([]);
  });

  it('names the line of every mistake', () => {
    const bad: [string, RegExp][] = [
      [
        'kind,crm,id\nmust_link,hubspot,1',
        /identity_overrides\.csv:1: the header must be kind,crm,id,other_crm,other_id,note/,
      ],
      [`${HEADER}\nmerge,hubspot,1,pipedrive,2`, /:2: kind is "merge"; use must_link or cannot_link/],
      [`${HEADER}\nmust_link,HubSpot CRM,1,pipedrive,2`, /:2: crm "HubSpot CRM" is not a CRM/],
      [`${HEADER}\nmust_link,hubspot,,pipedrive,2`, /:2: both ids are required/],
      [`${HEADER}\ncannot_link,hubspot,1,hubspot,1`, /:2: a record paired with itself/],
      [`${HEADER}\nmust_link,hubspot,1,pipedrive`, /:2: expected 5 or 6 values, got 4/],
      [`${HEADER}\nmust_link,hubspot,"1\t2",pipedrive,3`, /:2: an id with a tab or a line break/],
      [`${HEADER}\nmust_link,hubspot,"1,pipedrive,2`, /identity_overrides\.csv: not valid CSV/],
    ];
    for (const [text, message] of bad) expect(() => parseIdentityOverrides(text), text).toThrow(message);
    const many = [HEADER, ...Array.from({ length: MAX_OVERRIDES + 1 }, (_, i) => `must_link,a,${i},b,${i}`)];
    expect(() => parseIdentityOverrides(many.join('\n'))).toThrow(/5,001 pairs; at most 5,000/);
  });

  it('ships with Tide as a header and comments: no corrections until someone adds them', () => {
    expect(loadProject(BUNDLED_MODELS_DIR).overrides).toEqual([]);
  });
});
