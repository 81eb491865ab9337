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

describe('ticket validation messages', () => {
  const valid = incident();
  const onHold = { ...valid, state: 'on-hold', onHoldReason: 'awaiting-caller' };
  const resolved = {
    ...valid,
    state: 'resolved',
    resolution: { code: 'fixed', notes: 'Replaced the cable' },
  };
  it.each([
    [
      'a malformed number',
      { ...valid, number: 'INC-42' },
      'number must look like INC-1B2C3D4E5F6G',
    ],
    [
      'a number of another kind',
      { ...valid, number: 'REQ-000000000000' },
      'number must start with INC-',
    ],
    ['a future schema', { ...valid, schemaVersion: 2 }, 'schemaVersion must be 1'],
    ['a description that is not text', { ...valid, description: null }, 'description must be text'],
    [
      'a huge description',
      { ...valid, description: 'x'.repeat(20_001) },
      'description must be at most 20000 characters',
    ],
    ['a long title', { ...valid, title: 'x'.repeat(201) }, 'title must be at most 200 characters'],
    ['a CI that is not text', { ...valid, ciId: 7 }, 'configuration item must be text or empty'],
    [
      'a long CI id',
      { ...valid, ciId: 'x'.repeat(201) },
      'configuration item must be at most 200 characters',
    ],
    ['an unknown urgency', { ...valid, urgency: 0 }, 'urgency must be 1, 2 or 3'],
    ['no assignment group', { ...valid, groupId: undefined }, 'assignment group is required'],
    [
      'a state of another kind',
      { ...valid, state: 'fulfilled' },
      'state "fulfilled" is not a state of a incident',
    ],
    [
      'on hold without a reason',
      { ...onHold, onHoldReason: null },
      'an on-hold ticket needs an on-hold reason',
    ],
    [
      'an unknown on-hold reason',
      { ...onHold, onHoldReason: 'lunch' },
      'on-hold reason must be one of awaiting-caller, awaiting-vendor, awaiting-change, awaiting-problem, awaiting-evidence',
    ],
    [
      'resolved without a resolution',
      { ...resolved, resolution: null },
      'a resolved ticket needs a resolution code and notes',
    ],
    [
      'a resolution that is text',
      { ...resolved, resolution: 'fixed' },
      'resolution must have a code and notes',
    ],
    [
      'a resolution without notes',
      { ...resolved, resolution: { code: 'fixed', notes: ' ' } },
      'resolution notes is required',
    ],
    ['links that are not a list', { ...valid, links: {} }, 'links must be a list'],
    [
      'a link of an unknown kind',
      { ...valid, links: [{ kind: 'url', id: 'x' }] },
      'each link needs a kind (ci, kb, ticket) and an id',
    ],
    ['no SLA clock', { ...valid, sla: null }, 'sla clock is missing'],
    [
      'a response time in local time',
      { ...valid, sla: { ...valid.sla, respondedAt: '2026-03-02 09:05' } },
      'sla.respondedAt must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    [
      'a resolution time that is a number',
      { ...valid, sla: { ...valid.sla, resolvedAt: 0 } },
      'sla.resolvedAt must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    [
      'a pause that is not an object',
      { ...valid, sla: { ...valid.sla, pauses: ['09:00'] } },
      'each SLA pause needs from/to',
    ],
    [
      'a pause without a start',
      { ...valid, sla: { ...valid.sla, pauses: [{ to: null }] } },
      'sla pause start must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    [
      'a pause with a bad end',
      { ...valid, sla: { ...valid.sla, pauses: [{ from: T0, to: 'soon' }] } },
      'sla pause end must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    [
      'no updatedAt',
      { ...valid, updatedAt: undefined },
      'updatedAt must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    ['no author', { ...valid, createdBy: '' }, 'createdBy is required'],
  ])('refuses %s', (_name, doc, message) => {
    expect(validateTicket(doc)).toEqual({ ok: false, errors: [message] });
  });

  it('stops at an unknown kind, as nothing else can be checked without it', () => {
    expect(validateTicket({ ...valid, kind: 'ticket', title: '' })).toEqual({
      ok: false,
      errors: ['kind must be one of incident, request, problem, change, workorder'],
    });
  });

  it('accepts a valid on-hold and a valid resolved ticket', () => {
    expect(validateTicket(onHold).ok).toBe(true);
    expect(validateTicket(resolved).ok).toBe(true);
  });
});

describe('server-side write rules for technicians', () => {
  it('lets a technician create work orders only', () => {
    const tara = { name: 'tara', roles: ['technician'] };
    const own = { ...incident(), createdBy: 'tara', updatedBy: 'tara' };
    expect(validateTicketChange(null, own as never, tara)).toEqual({
      ok: false,
      reason: 'Technicians create work orders only.',
    });
    const wo = { ...own, kind: 'workorder', number: 'WO-000000000000' };
    expect(validateTicketChange(null, wo as never, tara)).toEqual({ ok: true });
  });
});
