/** Where the case pages live (the form and lists are in the `cases` subpackage). */
export const CASE_ROUTES = {
  campaign: (id: string) => `/cases/campaign/index?id=${encodeURIComponent(id)}`,
  newCase: (campaignId: string) => `/cases/form/index?campaign=${encodeURIComponent(campaignId)}`,
  revise: (submissionId: string) => `/cases/form/index?submission=${encodeURIComponent(submissionId)}`,
  submissions: '/cases/submissions/index',
  submission: (id: string) => `/cases/submission/index?id=${encodeURIComponent(id)}`,
};

/** 2026-12-31T… → 2026-12-31 (China time). */
export function dateOf(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 10);
}
