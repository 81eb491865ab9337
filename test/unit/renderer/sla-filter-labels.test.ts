/** The saved-view form offers exactly the SLA filter values the queue model accepts. */
import { describe, expect, it } from 'vitest';
import { SLA_FILTER_LABELS } from '../../../renderer/src/features/queue/sla-filter-labels';
import { validateView } from '../../../shared/queue';

const view = (sla: string) => ({
  id: 'custom-sla',
  name: 'SLA',
  filter: { open: true, sla },
  sort: { field: 'priority', dir: 'asc' },
});

describe('SLA choices of the view editor', () => {
  it('offers at-risk beside breaching-soon and breached, each with its own label', () => {
    expect(Object.keys(SLA_FILTER_LABELS).sort()).toEqual([
      'at-risk',
      'breached',
      'breaching-soon',
    ]);
    const labels = Object.values(SLA_FILTER_LABELS);
    expect(new Set(labels).size).toBe(labels.length);
    expect(SLA_FILTER_LABELS['at-risk']).toMatch(/^At risk/);
  });

  it('every offered value is one the saved-view validation accepts; others are refused', () => {
    for (const value of Object.keys(SLA_FILTER_LABELS)) {
      const r = validateView(view(value));
      expect(r.ok, value).toBe(true);
      if (r.ok) expect(r.view.filter.sla).toBe(value);
    }
    const r = validateView(view('late'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/at-risk/);
  });
});
