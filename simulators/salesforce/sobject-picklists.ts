/**
 * The picklist values the simulated org's fields allow, shared by the field catalog (what describe
 * reports) and the seed and control paths (which must only write values the picklist allows).
 */
export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
export const INDUSTRIES = [
  'Technology',
  'Finance',
  'Healthcare',
  'Retail',
  'Manufacturing',
  'Education',
  'Transportation',
  'Media',
  'Energy',
  'Consulting',
];
export const STAGES: readonly (readonly [string, number])[] = [
  ['Prospecting', 10],
  ['Qualification', 10],
  ['Needs Analysis', 20],
  ['Value Proposition', 50],
  ['Id. Decision Makers', 60],
  ['Perception Analysis', 70],
  ['Proposal/Price Quote', 75],
  ['Negotiation/Review', 90],
  ['Closed Won', 100],
  ['Closed Lost', 0],
];
export const LEVELS = ['Primary', 'Secondary', 'Tertiary'];
export const LEAD_STATUSES = [
  'Open - Not Contacted',
  'Working - Contacted',
  'Closed - Converted',
  'Closed - Not Converted',
];
export const ROLES = [
  'Business User',
  'Decision Maker',
  'Economic Buyer',
  'Economic Decision Maker',
  'Evaluator',
  'Executive Sponsor',
  'Influencer',
  'Technical Buyer',
  'Other',
];
export const TASK_STATUSES = [
  'Not Started',
  'In Progress',
  'Completed',
  'Waiting on someone else',
  'Deferred',
];
export const TASK_SUBTYPES = ['Task', 'Email', 'Call', 'LinkedIn'];
export const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
export const CLEAN = [
  'Matched',
  'Different',
  'Acknowledged',
  'NotFound',
  'Inactive',
  'Pending',
  'SelectMatch',
  'Skipped',
];
export const YES_NO = ['No', 'Yes'];
