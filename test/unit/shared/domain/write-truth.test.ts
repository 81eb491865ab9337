import { describe, expect, it } from 'vitest';
import {
  activityMetadataError,
  MAX_CLOCK_SKEW_MS,
  ticketMetadataError,
} from '../../../../shared/domain/write-truth';

const NOW = '2026-06-01T12:00:00.000Z';
const alice = { name: 'alice', roles: ['agent'] };
const ticket = {
  kind: 'incident',
  state: 'in-progress',
  updatedBy: 'ben',
  updatedAt: '2026-06-01T11:00:00.000Z',
  sla: {
    respondedAt: '2026-06-01T10:00:00.000Z',
    resolvedAt: null,
    pauses: [{ from: '2026-06-01T10:10:00.000Z', to: '2026-06-01T10:20:00.000Z' }],
  },
};
const edit = (over: Record<string, unknown>) => ({
  ...ticket,
  updatedBy: 'alice',
  updatedAt: NOW,
  ...over,
});

describe('metadata truth', () => {
  it('accepts the writer’s own name with a time up to the skew ahead, or any past time', () => {
    expect(ticketMetadataError(ticket, edit({}), alice, NOW)).toBeNull();
    const ahead = new Date(Date.parse(NOW) + MAX_CLOCK_SKEW_MS - 1000).toISOString();
    expect(ticketMetadataError(ticket, edit({ updatedAt: ahead }), alice, NOW)).toBeNull();
    expect(
      ticketMetadataError(ticket, edit({ updatedAt: '2020-01-01T00:00:00.000Z' }), alice, NOW),
    ).toBeNull();
  });

  it('refuses another name, a time past the skew, unless a merge kept the stored edit', () => {
    expect(ticketMetadataError(ticket, edit({ updatedBy: 'sam' }), alice, NOW)).toMatch(
      /updatedBy/,
    );
    const ahead = new Date(Date.parse(NOW) + MAX_CLOCK_SKEW_MS + 1000).toISOString();
    expect(ticketMetadataError(ticket, edit({ updatedAt: ahead }), alice, NOW)).toMatch(/ahead/);
    // A pure re-send of the stored version may keep its name and time.
    expect(ticketMetadataError(ticket, { ...ticket }, alice, NOW)).toBeNull();
  });

  it('refuses a content change that keeps the stored name and time (merges name their writer)', () => {
    expect(ticketMetadataError(ticket, { ...ticket, title: 'merged' }, alice, NOW)).toMatch(
      /updatedBy/,
    );
    // The merge as the client's conflict handler stamps it, even from a device whose clock is
    // behind the stored edit's.
    expect(
      ticketMetadataError(
        ticket,
        edit({ title: 'merged', updatedAt: ticket.updatedAt }),
        alice,
        NOW,
      ),
    ).toBeNull();
  });

  it('lets the admin role write other names (imports) but not future times', () => {
    const ada = { name: 'ada', roles: ['admin'] };
    expect(ticketMetadataError(ticket, edit({ updatedBy: 'ben' }), ada, NOW)).toBeNull();
    expect(
      ticketMetadataError(ticket, edit({ updatedAt: '9999-01-01T00:00:00.000Z' }), ada, NOW),
    ).toMatch(/ahead/);
  });

  it('judges only the SLA times a write brings, not ones already stored', () => {
    // A desk's stored data from before the rule: responded "in the future".
    const future = new Date(Date.parse(NOW) + 3 * 3_600_000).toISOString();
    const stored = { ...ticket, sla: { ...ticket.sla, respondedAt: future } };
    const recorded = { ...stored.sla, record: { id: 'x#1' } };
    expect(ticketMetadataError(stored, edit({ sla: recorded }), alice, NOW)).toBeNull();
    // The same time brought by this write is refused.
    expect(
      ticketMetadataError(
        ticket,
        edit({ sla: { ...ticket.sla, respondedAt: future } }),
        alice,
        NOW,
      ),
    ).toMatch(/ahead/);
  });

  it('keeps the SLA clock to what transitions and merges make', () => {
    const sla = ticket.sla;
    const bad = [
      { ...sla, respondedAt: null },
      { ...sla, respondedAt: '2026-06-01T11:30:00.000Z' },
      { ...sla, resolvedAt: NOW },
      { ...sla, pauses: [] },
      { ...sla, pauses: [{ from: sla.pauses[0]!.from, to: NOW }] },
      { ...sla, pauses: [...sla.pauses, { from: NOW, to: '9999-01-01T00:00:00.000Z' }] },
    ];
    for (const s of bad)
      expect(ticketMetadataError(ticket, edit({ sla: s }), alice, NOW)).not.toBeNull();
    // A transition to resolved, an earlier response from a merge, a new pause: fine.
    expect(
      ticketMetadataError(
        ticket,
        edit({ state: 'resolved', sla: { ...sla, resolvedAt: NOW } }),
        alice,
        NOW,
      ),
    ).toBeNull();
    expect(
      ticketMetadataError(
        ticket,
        edit({ sla: { ...sla, respondedAt: '2026-06-01T09:00:00.000Z' } }),
        alice,
        NOW,
      ),
    ).toBeNull();
    expect(
      ticketMetadataError(
        ticket,
        edit({
          state: 'on-hold',
          onHoldReason: 'awaiting-caller',
          sla: {
            ...sla,
            pauses: [...sla.pauses, { from: NOW, to: null, reason: 'awaiting-caller' }],
          },
        }),
        alice,
        NOW,
      ),
    ).toBeNull();
  });

  it('takes a new SLA pause only from a move into a paused state', () => {
    const sla = ticket.sla;
    const withPause = (p: Record<string, unknown>, over: Record<string, unknown> = {}) =>
      edit({ ...over, sla: { ...sla, pauses: [...sla.pauses, p] } });
    const open = { from: '2026-06-01T11:30:00.000Z', to: null, reason: 'awaiting-caller' };
    // No transition made it: the ticket stays in progress.
    expect(ticketMetadataError(ticket, withPause(open), alice, NOW)).toMatch(/paused state/);
    // A move on hold opens one pause, with the reason the ticket is on hold for.
    const hold = { state: 'on-hold', onHoldReason: 'awaiting-caller' };
    expect(ticketMetadataError(ticket, withPause(open, hold), alice, NOW)).toBeNull();
    expect(
      ticketMetadataError(
        ticket,
        withPause({ ...open, reason: 'awaiting-vendor' }, hold),
        alice,
        NOW,
      ),
    ).toMatch(/awaiting-caller/);
    expect(
      ticketMetadataError(
        ticket,
        edit({
          ...hold,
          sla: {
            ...sla,
            pauses: [...sla.pauses, open, { ...open, from: '2026-06-01T11:40:00.000Z' }],
          },
        }),
        alice,
        NOW,
      ),
    ).toMatch(/one SLA pause/);
    // A merge of two holds: the server's side is on hold already, the writer's side opened its own.
    const held = {
      ...ticket,
      ...hold,
      sla: { ...sla, pauses: [...sla.pauses, { ...open, from: '2026-06-01T11:45:00.000Z' }] },
    };
    const mergedHolds = {
      ...held,
      updatedBy: 'alice',
      updatedAt: NOW,
      sla: { ...held.sla, pauses: [...held.sla.pauses, { ...open, reason: 'awaiting-vendor' }] },
    };
    expect(ticketMetadataError(held, mergedHolds, alice, NOW)).toBeNull();
    // A closed pause (an offline hold and back) cannot be told from a made-up one: it is held to
    // the ticket's life and needs a reason.
    const closed = { from: '2026-06-01T11:30:00.000Z', to: '2026-06-01T11:50:00.000Z' };
    expect(
      ticketMetadataError(ticket, withPause({ ...closed, reason: 'awaiting-caller' }), alice, NOW),
    ).toBeNull();
    expect(ticketMetadataError(ticket, withPause(closed), alice, NOW)).toMatch(/reason/);
    expect(
      ticketMetadataError(
        { ...ticket, createdAt: '2026-06-01T09:00:00.000Z' },
        {
          ...withPause({ ...closed, from: '2026-05-01T00:00:00.000Z', reason: 'awaiting-caller' }),
          createdAt: '2026-06-01T09:00:00.000Z',
        },
        alice,
        NOW,
      ),
    ).toMatch(/life/);
    expect(
      ticketMetadataError(
        ticket,
        withPause({ ...closed, to: '2026-06-01T12:01:00.000Z', reason: 'awaiting-caller' }),
        alice,
        NOW,
      ),
    ).toMatch(/life/);
    // An admin's import writes the source's pauses as they were.
    const ada = { name: 'ada', roles: ['admin'] };
    const imported = { ...withPause(open), imported: { source: 'servicenow', digest: 'd2' } };
    expect(ticketMetadataError(ticket, imported, ada, NOW)).toBeNull();
    expect(ticketMetadataError(ticket, imported, alice, NOW)).toMatch(/paused state/);
  });

  it('checks activity times and conflict records', () => {
    const entry = { type: 'work-note', at: NOW, by: 'alice', data: {} };
    expect(activityMetadataError(entry, alice, NOW)).toBeNull();
    expect(activityMetadataError({ ...entry, at: '9999-01-01T00:00:00.000Z' }, alice, NOW)).toMatch(
      /ahead/,
    );
    expect(
      activityMetadataError({ ...entry, data: { blob: 'a'.repeat(2 * 1024 * 1024) } }, alice, NOW),
    ).toMatch(/data/);
    const conflict = {
      ...entry,
      type: 'conflict',
      data: { field: 'title', kept: 'a', lost: 'b', base: null },
    };
    expect(activityMetadataError(conflict, alice, NOW)).toBeNull();
    expect(activityMetadataError({ ...conflict, data: { x: 1 } }, alice, NOW)).not.toBeNull();
  });
});
