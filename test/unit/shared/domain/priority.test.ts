import { describe, expect, it } from 'vitest';
import { priorityOf } from '../../../../shared/domain';

describe('ITIL priority matrix', () => {
  it.each([
    [1, 1, 1],
    [1, 2, 2],
    [2, 1, 2],
    [2, 2, 3],
    [1, 3, 3],
    [3, 1, 3],
    [2, 3, 4],
    [3, 2, 4],
    [3, 3, 5],
  ] as const)('impact %i x urgency %i = P%i', (i, u, p) => {
    expect(priorityOf(i, u)).toBe(p);
  });

  it('accepts a custom matrix', () => {
    const flat = [
      [1, 1, 1],
      [1, 1, 1],
      [1, 1, 1],
    ] as const;
    expect(priorityOf(3, 3, flat)).toBe(1);
  });
});
