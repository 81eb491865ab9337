/** Types for vitest-summary.mjs (plain JS so that `npm test` needs no compiler to start). */
export type ReportFile = {
  readonly name: string;
  readonly status: string;
  readonly message?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly assertionResults?: readonly { readonly status: string }[];
};
export type Report = { readonly testResults?: readonly ReportFile[] };
export function summarize(json: Report): {
  passed: number;
  failed: number;
  skipped: number;
  suiteFailures: string[];
};
export function slowestFiles(json: Report, n: number): { file: string; seconds: number }[];
