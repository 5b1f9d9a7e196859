import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load-config.js';
import { requiredFieldsFor } from '../../transform/models-config.js';

const base = { sources: [{ kind: 'hubspot', tokenEnv: 'HUBSPOT_TOKEN' }] };

describe('models config', () => {
  it('is optional: an existing config gets every default', () => {
    const { models } = parseConfig(base);
    expect(models).toMatchObject({
      dir: null,
      runAfterExtract: true,
      sourcePriority: ['salesforce', 'hubspot', 'pipedrive', 'zoho', 'activecampaign', 'dynamics'],
      defaultCallingCode: '1',
      scoring: { activityWindowDays: 90 },
    });
    expect(models.roleInboxes).toContain('info');
    expect(models.freeMailDomains).toContain('gmail.com');
    expect(requiredFieldsFor(models, 'salesforce.Contact')).toContain('email');
  });

  it('takes overrides, and a requiredFields entry replaces that object’s default only', () => {
    const { models } = parseConfig({
      ...base,
      models: {
        sourcePriority: ['hubspot'],
        fieldPriority: { phone: ['pipedrive', 'hubspot'] },
        requiredFields: { 'hubspot.contacts': ['email'] },
        scoring: { targetIndustries: ['Energy'] },
        defaultCallingCode: null,
      },
    });
    expect(models.fieldPriority).toEqual({ phone: ['pipedrive', 'hubspot'] });
    expect(requiredFieldsFor(models, 'hubspot.contacts')).toEqual(['email']);
    expect(requiredFieldsFor(models, 'hubspot.companies')).toEqual(['name', 'domain', 'industry']);
    expect(models.scoring).toEqual({ targetIndustries: ['Energy'], activityWindowDays: 90 });
    expect(models.defaultCallingCode).toBeNull();
  });

  it('rejects bad values with their path', () => {
    let message = '';
    try {
      parseConfig({
        ...base,
        models: {
          sourcePriority: [],
          requiredFields: { contacts: ['email'] },
          defaultCallingCode: '+1',
          fieldPriority: { 'Phone Number': ['hubspot'] },
          colour: 'blue',
        },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const path of [
      'models.sourcePriority',
      'models.requiredFields.contacts',
      'models.defaultCallingCode',
      'models.fieldPriority.Phone Number',
    ]) {
      expect(message).toContain(`${path}: `);
    }
    expect(message).toContain('unknown key(s) "colour"');
  });
});
