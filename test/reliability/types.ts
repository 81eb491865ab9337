/** One reliability scenario's outcome, as the summary table prints it. */
export type ScenarioResult = {
  readonly scenario: string;
  readonly iterations: number;
  readonly failures: number;
  /** Items that should exist and do not (must be 0). */
  readonly lost: number;
  /** Items that exist more than once (must be 0). */
  readonly duplicated: number;
  readonly seeds: readonly number[];
  readonly notes: readonly string[];
};

/**
 * Options every scenario takes. `timing`: 'judge' (the default, `npm run test:reliability`) makes
 * a missed performance target (latency, writer lag, memory) a failure; 'report' (`npm test`)
 * prints the figures and fails only on what is lost, missed or an error: a wall-clock threshold
 * inside `npm test` fails on a busy machine.
 */
export type ScenarioOptions = {
  readonly seed: number;
  readonly quick: boolean;
  readonly timing?: 'judge' | 'report';
};
