/** ITIL priority: derived from impact and urgency, never typed in. */

/** Impact or urgency level: 1 high, 2 medium, 3 low. */
export type Level = 1 | 2 | 3;
/** Priority 1 (critical) to 5 (planning). */
export type Priority = 1 | 2 | 3 | 4 | 5;
/** Matrix rows are impact 1..3, columns urgency 1..3. */
export type PriorityMatrix = readonly [
  readonly [Priority, Priority, Priority],
  readonly [Priority, Priority, Priority],
  readonly [Priority, Priority, Priority],
];

/** The standard ITIL matrix. */
export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = [
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
];

/** Human labels of each priority. */
export const PRIORITY_LABELS = {
  1: 'Critical',
  2: 'High',
  3: 'Moderate',
  4: 'Low',
  5: 'Planning',
} as const satisfies Record<Priority, string>;

/** Human labels of each impact/urgency level. */
export const LEVEL_LABELS = { 1: 'High', 2: 'Medium', 3: 'Low' } as const satisfies Record<
  Level,
  string
>;

/** The priority of `impact` × `urgency` in `matrix`. */
export function priorityOf(
  impact: Level,
  urgency: Level,
  matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX,
): Priority {
  return matrix[(impact - 1) as 0 | 1 | 2][(urgency - 1) as 0 | 1 | 2];
}

/** True if `v` is a valid impact/urgency level. */
export function isLevel(v: unknown): v is Level {
  return v === 1 || v === 2 || v === 3;
}
