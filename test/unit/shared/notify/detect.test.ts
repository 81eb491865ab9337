import { describe, expect, it } from 'vitest';
import {
  activityEvents,
  slaEvents,
  ticketEvents,
  trayCounts,
  type Watcher,
} from '../../../../shared/notify/detect';
import type { ActivityEntry, Ticket } from '../../../../shared/domain';
import { incident, T0 } from '../domain/fixtures';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';

const ben: Watcher = { name: 'ben', groupIds: new Set(['group:network']) };
const by = (t: Ticket, who: string, patch: Partial<Ticket> = {}): Ticket => ({
  ...t,
  ...patch,
  updatedBy: who,
  updatedAt: '2026-03-02T09:05:00.000Z',
});
const note = (over: Partial<ActivityEntry>): ActivityEntry => ({
  id: 'a1',
  ticketNumber: 'INC-000000000000',
  type: 'work-note',
  at: '2026-03-02T09:06:00.000Z',
  by: 'alice',
  schemaVersion: 1,
  body: '',
  data: {},
  ...over,
});

describe('ticket events', () => {
  const t = incident({ groupId: 'group:desktop' });
  it.each([
    [
      'assigned to me by someone else',
      null,
      by(t, 'alice', { assigneeId: 'ben' }),
      ['assigned-to-me'],
    ],
    [
      'already mine',
      by(t, 'x', { assigneeId: 'ben' }),
      by(t, 'alice', { assigneeId: 'ben', title: 'x' }),
      [],
    ],
    ['I assigned it to myself', t, by(t, 'ben', { assigneeId: 'ben' }), []],
    [
      'moved unassigned into my group',
      t,
      by(t, 'sam', { groupId: 'group:network' }),
      ['assigned-to-group'],
    ],
    [
      'new unassigned ticket in my group',
      null,
      by(t, 'alice', { groupId: 'group:network' }),
      ['assigned-to-group'],
    ],
    [
      'edited in my group, still unassigned',
      by(t, 'x', { groupId: 'group:network' }),
      by(t, 'alice', { groupId: 'group:network', title: 'y' }),
      [],
    ],
    ['other group', null, by(t, 'alice'), []],
    [
      'assigned to me but closed',
      null,
      by(t, 'alice', { assigneeId: 'ben', state: 'cancelled' }),
      [],
    ],
  ] as const)('%s', (_name, before, after, types) => {
    expect(ticketEvents(before, after, ben).map((e) => e.type)).toEqual(types);
  });
});

describe('activity events', () => {
  const mine = incident({ assigneeId: 'ben' });
  it('tells me when the requester replies on my ticket', () => {
    const e = activityEvents(
      note({ type: 'reply', by: mine.requesterId, body: 'Still broken' }),
      mine,
      ben,
    );
    expect(e).toEqual([
      {
        type: 'requester-replied',
        from: mine.requesterId,
        ticketNumber: mine.number,
        title: mine.title,
      },
    ]);
  });
  it('ignores replies by staff and replies on other people’s tickets', () => {
    expect(activityEvents(note({ type: 'reply', body: 'hi' }), mine, ben)).toEqual([]);
    const theirs = { ...mine, assigneeId: 'alice' };
    expect(
      activityEvents(note({ type: 'reply', by: mine.requesterId, body: 'x' }), theirs, ben),
    ).toEqual([]);
  });
  it.each([
    ['@ben can you check', true],
    ['ping @Ben.', true],
    ['cc: @ben-smith', false],
    ['email ben@example.com', false],
    ['@benjamin', false],
    ['no mention', false],
  ])('mention in %j → %s', (body, expected) => {
    const e = activityEvents(note({ body }), mine, ben);
    expect(e.some((x) => x.type === 'mentioned')).toBe(expected);
  });
  it('never notifies me of my own entries', () => {
    expect(activityEvents(note({ by: 'ben', body: '@ben' }), mine, ben)).toEqual([]);
  });
});

describe('SLA events and tray counts', () => {
  // P3 incident (impact 2, urgency 2) created at T0 on the default policies.
  const mine = { ...incident({ assigneeId: 'ben' }), state: 'in-progress' } as Ticket;
  const t0 = Date.parse(T0);
  it('reports the 75% warning and the breach of my tickets once each', () => {
    const all = slaEvents([mine], ben, t0, t0 + 30 * 24 * 3_600_000, DEFAULT_SLA_CONFIG);
    const kinds = all.map((e) => `${e.type}:${'target' in e ? e.target : ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'sla-warning:response',
        'sla-breached:response',
        'sla-warning:resolution',
        'sla-breached:resolution',
      ]),
    );
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(
      slaEvents(
        [{ ...mine, assigneeId: 'alice' }],
        ben,
        t0,
        t0 + 30 * 86_400_000,
        DEFAULT_SLA_CONFIG,
      ),
    ).toEqual([]);
  });
  it('counts my open tickets, unassigned in my groups and breaching soon', () => {
    const unassigned = incident({ groupId: 'group:network' }, 'INC-000000000001');
    const elsewhere = incident({ groupId: 'group:desktop' }, 'INC-000000000002');
    const closed = {
      ...incident({ assigneeId: 'ben' }, 'INC-000000000003'),
      state: 'cancelled',
    } as Ticket;
    expect(
      trayCounts([mine, unassigned, elsewhere, closed], ben, t0 + 60_000, DEFAULT_SLA_CONFIG),
    ).toEqual({
      myOpen: 1,
      unassignedInMyGroups: 1,
      breachingSoon: 0,
    });
    // Far enough into the resolution target to be at or past 75% but not breached.
    let soon = 0;
    for (let h = 1; h < 24 * 14 && soon === 0; h++)
      soon = trayCounts([mine], ben, t0 + h * 3_600_000, DEFAULT_SLA_CONFIG).breachingSoon;
    expect(soon).toBe(1);
    // On hold since the first minute (a pause of no recorded reason stops both clocks): its
    // clocks are paused, so it never counts as breaching soon, as in the queue's view.
    const held = {
      ...mine,
      state: 'on-hold',
      sla: { ...mine.sla, pauses: [{ from: new Date(t0 + 60_000).toISOString(), to: null }] },
    } as Ticket;
    for (let h = 1; h < 24 * 14; h += 7)
      expect(trayCounts([held], ben, t0 + h * 3_600_000, DEFAULT_SLA_CONFIG).breachingSoon).toBe(0);
  });
});
