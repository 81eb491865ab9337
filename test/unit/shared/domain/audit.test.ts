import { describe, expect, it } from 'vitest';
import {
  auditChanges,
  slaActivityEvents,
  transition,
  updateFields,
} from '../../../../shared/domain';
import { incident } from './fixtures';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';

const ctx = { now: '2026-03-02T10:00:00.000Z', actor: 'alice' };

describe('audit trail', () => {
  it('records each changed field with from and to, and nothing when nothing changed', () => {
    const t = incident();
    expect(auditChanges(t, t)).toEqual([]);
    const r = updateFields(t, { urgency: 1, assigneeId: 'alice' }, ctx);
    if (!r.ok) throw new Error(r.errors.join());
    const changes = auditChanges(t, r.value);
    expect(changes.map((c) => c.data.field)).toEqual(['urgency', 'priority', 'assigneeId']);
    const assignee = changes.find((c) => c.data.field === 'assigneeId')!;
    expect(assignee).toEqual({
      type: 'field-change',
      body: 'Assignee: — → alice',
      data: { field: 'assigneeId', from: null, to: 'alice' },
    });
  });

  it('records a state move with its reason, and link changes as added/removed', () => {
    const t = incident();
    const held = transition(t, 'in-progress', {}, ctx);
    if (!held.ok) throw new Error(held.error.message);
    const moved = auditChanges(t, held.ticket);
    expect(moved[0]).toMatchObject({
      type: 'state-change',
      data: { from: t.state, to: 'in-progress' },
    });
    const linked = updateFields(t, { links: [{ kind: 'kb', id: 'kb:0001' }] }, ctx);
    if (!linked.ok) throw new Error(linked.errors.join());
    expect(auditChanges(t, linked.value)).toEqual([
      {
        type: 'field-change',
        body: 'Linked kb:kb:0001',
        data: { field: 'links', added: ['kb:kb:0001'], removed: [] },
      },
    ]);
  });

  it('records each move of a change that made several, at the time of each', () => {
    const t = incident();
    const a = transition(t, 'in-progress', {}, { ...ctx, now: '2026-03-02T10:01:00.000Z' });
    if (!a.ok) throw new Error(a.error.message);
    const resolution = { code: 'fixed', notes: 'Reset.' };
    const b = transition(
      a.ticket,
      'resolved',
      { resolution },
      {
        ...ctx,
        now: '2026-03-02T10:02:00.000Z',
      },
    );
    if (!b.ok) throw new Error(b.error.message);
    expect(auditChanges(t, b.ticket, [a.ticket]).filter((c) => c.type === 'state-change')).toEqual([
      {
        type: 'state-change',
        body: 'State: new → in-progress',
        at: '2026-03-02T10:01:00.000Z',
        data: { from: 'new', to: 'in-progress' },
      },
      {
        type: 'state-change',
        body: 'State: in-progress → resolved (fixed)',
        at: '2026-03-02T10:02:00.000Z',
        data: { from: 'in-progress', to: 'resolved', resolutionCode: 'fixed' },
      },
    ]);
  });

  it('keeps long values short in the record', () => {
    const t = incident();
    const r = updateFields(t, { description: 'x'.repeat(1000) }, ctx);
    if (!r.ok) throw new Error(r.errors.join());
    const [c] = auditChanges(t, r.value);
    expect(String(c!.data.to).length).toBe(300);
    expect(c!.body.length).toBeLessThan(200);
  });

  it('derives SLA events from the SLA engine, in time order', () => {
    const t = incident({ impact: 1, urgency: 1 });
    const created = Date.parse(t.createdAt);
    // A P1 incident: 15 min response, 24x7; an hour later every response threshold is passed.
    const events = slaActivityEvents(t, created + 60 * 60_000, DEFAULT_SLA_CONFIG);
    expect(events.map((e) => e.body).slice(0, 3)).toEqual([
      'Response target 50% used',
      'Response target 75% used',
      'Response target breached',
    ]);
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort());
    expect(slaActivityEvents(t, created, DEFAULT_SLA_CONFIG)).toEqual([]);
  });
});
