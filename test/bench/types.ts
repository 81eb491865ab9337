/** One benchmark figure: a named value with its unit, and an optional anchor to compare with. */
export type Figure = {
  readonly name: string;
  readonly value: number;
  readonly unit: 'ms' | 's' | 'MB' | 'x' | 'count' | 'rows/s';
  /** The anchor's value in the same run, when the figure is compared with one. */
  readonly anchor?: { readonly name: string; readonly value: number };
  /** The target from DESIGN.md, if any (same unit). */
  readonly target?: string;
};

export type BenchOptions = { readonly tickets: number; readonly quick: boolean };

export type Scenario = {
  readonly name: string;
  readonly run: (o: BenchOptions) => Promise<readonly Figure[]>;
};
