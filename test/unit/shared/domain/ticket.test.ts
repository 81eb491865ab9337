import { describe, expect, it } from 'vitest';
import {
  createTicket,
  updateFields,
  validateTicket,
  validateTicketChange,
} from '../../../../shared/domain';
import { incident, T0 } from './fixtures';

describe('ticket creation and validation', () => {
  it('derives priority and the initial state', () => {
    const t = incident({ impact: 1, urgency: 1 });
    expect(t).toMatchObject({
      priority: 1,
      state: 'new',
      createdBy: 'alice',
      sla: { respondedAt: null, pauses: [] },
    });
  });

  it('explains what is wrong in words a person can act on', () => {
    const r = createTicket(
      {
        kind: 'incident',
        title: '  ',
        description: '',
        requesterId: '',
        ciId: null,
        category: 'x',
        impact: 4 as never,
        urgency: 2,
        groupId: 'g',
        assigneeId: null,
      },
      { now: T0, actor: 'alice', number: 'INC-000000000000' },
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual(
        expect.arrayContaining([
          'title is required',
          'requester is required',
          'impact must be 1, 2 or 3',
        ]),
      );
    expect(validateTicket(null)).toEqual({ ok: false, errors: ['ticket must be an object'] });
    expect(validateTicket({ ...incident(), priority: 1 })).toMatchObject({
      ok: false,
      errors: ['priority must be derived from impact and urgency'],
    });
  });

  it('re-derives priority on edits', () => {
    const r = updateFields(
      incident(),
      { impact: 1 },
      { now: '2026-03-02T10:00:00.000Z', actor: 'ben' },
    );
    expect(r).toMatchObject({ ok: true, value: { priority: 2, updatedBy: 'ben' } });
  });
});

describe('server-side write rules', () => {
  const agent = { name: 'alice', roles: ['agent'] };
  const tech = { name: 'tara', roles: ['technician'] };
  it('accepts a valid new ticket by its creator and refuses impostors', () => {
    expect(validateTicketChange(null, incident() as never, agent)).toEqual({ ok: true });
    expect(
      validateTicketChange(null, incident() as never, { name: 'ben', roles: ['agent'] }),
    ).toMatchObject({ ok: false });
  });
  it('keeps number and creation fields immutable and states on the machine', () => {
    const old = incident();
    expect(validateTicketChange(old as never, { ...old, createdBy: 'ben' }, agent)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/createdBy/),
    });
    expect(validateTicketChange(old as never, { ...old, state: 'closed' }, agent)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/cannot move/),
    });
  });
  it('lets technicians touch only work orders assigned to them', () => {
    expect(validateTicketChange(null, incident() as never, tech)).toMatchObject({ ok: false });
    const old = incident();
    expect(validateTicketChange(old as never, { ...old, title: 'x' }, tech)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/Technicians/),
    });
  });
  it('reserves cross-group reassignment for supervisors', () => {
    const old = incident();
    const moved = { ...old, groupId: 'group:desktop' };
    expect(validateTicketChange(old as never, moved as never, agent)).toMatchObject({ ok: false });
    expect(
      validateTicketChange(old as never, moved as never, { name: 'sam', roles: ['supervisor'] }),
    ).toEqual({ ok: true });
  });
});
