import { EventEmitter } from 'node:events';
import type { NotificationConstructorOptions } from 'electron';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../electron/main/log';
import {
  DEFAULT_MAX_NOTIFICATIONS,
  distinctEvents,
  groupNotifications,
} from '../../../electron/main/os/notification-grouping';
import { createNotifier } from '../../../electron/main/os/notifier';
import { deskEventSchema, type DeskEvent } from '../../../shared/ipc/contract';

const num = (i: number, prefix = 'INC') => `${prefix}-${String(i).padStart(12, '0')}`;
const assigned = (i: number): DeskEvent => ({
  type: 'assigned-to-me',
  ticketNumber: num(i),
  title: `Printer ${i} jammed`,
});
type SlaEvent = Extract<DeskEvent, { type: 'sla-breached' | 'sla-warning' }>;
const breach = (i: number): SlaEvent => ({
  type: 'sla-breached',
  ticketNumber: num(i),
  title: `Email down ${i}`,
  target: 'resolution',
});
const warning = (i: number): SlaEvent => ({ ...breach(i), type: 'sla-warning' });
const reply = (i: number): DeskEvent => ({
  type: 'requester-replied',
  ticketNumber: num(i),
  title: 'VPN',
  from: 'Ada Lovelace',
});
const mention = (i: number): DeskEvent => ({
  type: 'mentioned',
  ticketNumber: num(i),
  title: 'VPN',
  by: 'Grace Hopper',
});
const group = (i: number): DeskEvent => ({
  type: 'assigned-to-group',
  ticketNumber: num(i),
  title: 'New laptop',
  group: 'Service Desk L1',
});

const on = { doNotDisturb: false };

describe('notification grouping', () => {
  it('an SLA notification says the clock in the SLA formatter’s words when it has them', () => {
    const sla = 'Resolution overdue by 2 business days · was due Thu 14:00 · 122% elapsed';
    const e = { ...breach(3), sla };
    expect(deskEventSchema.safeParse(e).success).toBe(true);
    expect(deskEventSchema.safeParse({ ...e, sla: 'x'.repeat(201) }).success).toBe(false);
    expect(groupNotifications([e], on).notifications[0]).toMatchObject({
      body: `${sla} · Email down 3`,
    });
  });

  it('shows a few events one by one, most urgent first, each opening its ticket', () => {
    const { notifications } = groupNotifications([assigned(1), breach(2)], on);
    expect(notifications).toEqual([
      {
        title: `SLA breached: ${num(2)}`,
        body: 'resolution target · Email down 2',
        ticketNumber: num(2),
        urgency: 'critical',
      },
      {
        title: `Assigned to you: ${num(1)}`,
        body: 'Printer 1 jammed',
        ticketNumber: num(1),
        urgency: 'normal',
      },
    ]);
  });

  it('makes one summary of a sync of 500 changes', () => {
    const events = [
      ...Array.from({ length: 480 }, (_, i) => group(i)),
      ...Array.from({ length: 17 }, (_, i) => assigned(1000 + i)),
      breach(2000),
      warning(2001),
      mention(2002),
    ];
    const { notifications } = groupNotifications(events, on);
    expect(notifications).toEqual([
      {
        title: '500 updates',
        body: '1 SLA breach · 1 SLA warning · 1 mention · 17 assigned to you · 480 new in your groups',
        urgency: 'critical',
      },
    ]);
  });

  it('groups a middling batch per kind of event', () => {
    const events = [assigned(1), assigned(2), assigned(3), assigned(4), reply(5)];
    const { notifications } = groupNotifications(events, on);
    expect(notifications.map((n) => [n.title, n.body, n.ticketNumber])).toEqual([
      [`Ada Lovelace replied on ${num(5)}`, 'VPN', num(5)],
      ['4 tickets assigned to you', `${num(1)}, ${num(2)}, ${num(3)} and 1 more`, undefined],
    ]);
  });

  it('folds the least urgent kinds into one "more" notification beyond the cap', () => {
    const events = [breach(1), breach(2), warning(3), mention(4), reply(5), group(6), group(7)];
    const { notifications } = groupNotifications(events, on);
    expect(notifications).toHaveLength(DEFAULT_MAX_NOTIFICATIONS);
    expect(notifications.map((n) => n.title)).toEqual([
      'SLA breached on 2 tickets',
      `SLA at 75%: ${num(3)}`,
      '4 more updates',
    ]);
    expect(notifications[2]?.body).toBe('1 mention · 1 requester reply · 2 new in your groups');
  });

  it('counts a ticket once per event kind, and drops a warning when the same target breached', () => {
    const events = [warning(1), breach(1), assigned(2), assigned(2), assigned(2)];
    expect(distinctEvents(events).map((e) => e.type)).toEqual(['sla-breached', 'assigned-to-me']);
    const otherTarget: SlaEvent = { ...warning(1), target: 'response' };
    expect(distinctEvents([otherTarget, breach(1)])).toHaveLength(2);
  });

  it('shows nothing under Do Not Disturb and says how much it held back', () => {
    const r = groupNotifications([breach(1), assigned(2), assigned(2)], { doNotDisturb: true });
    expect(r).toEqual({ notifications: [], suppressed: 2 });
  });

  it('never exceeds the cap, never loses count, for any batch (property)', () => {
    const event = fc
      .record({
        type: fc.constantFrom(
          'assigned-to-me',
          'assigned-to-group',
          'requester-replied',
          'mentioned',
          'sla-warning',
          'sla-breached',
        ),
        i: fc.nat(40),
      })
      .map(({ type, i }) => {
        const make = {
          'assigned-to-me': assigned,
          'assigned-to-group': group,
          'requester-replied': reply,
          mentioned: mention,
          'sla-warning': warning,
          'sla-breached': breach,
        }[type];
        return make(i);
      });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 300 }),
        fc.integer({ min: 1, max: 5 }),
        (events, max) => {
          const distinct = distinctEvents(events).length;
          const { notifications } = groupNotifications(events, { doNotDisturb: false, max });
          expect(notifications.length).toBeLessThanOrEqual(max);
          expect(notifications.length > 0).toBe(distinct > 0);
          const covered = notifications.reduce((sum, n) => {
            if (n.ticketNumber !== undefined) return sum + 1;
            const m = /^(\d+)|on (\d+) tickets|(\d+) (?:tickets|requester|new|more)/.exec(n.title);
            return sum + Number(m?.[1] ?? m?.[2] ?? m?.[3]);
          }, 0);
          expect(covered).toBe(distinct);
          for (const e of events) expect(deskEventSchema.safeParse(e).success).toBe(true);
        },
      ),
    );
  });
});

class FakeNotification extends EventEmitter {
  shown = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show() {
    this.shown = true;
  }
}

function notifier(dnd = false, supported = true) {
  const made: FakeNotification[] = [];
  const clicks: (string | undefined)[] = [];
  const log = memoryLogger();
  const n = createNotifier({
    createNotification: (o) => {
      const f = new FakeNotification(o);
      made.push(f);
      return f as never;
    },
    isSupported: () => supported,
    doNotDisturb: () => dnd,
    onClick: (t) => void clicks.push(t),
    log,
  });
  return { n, made, clicks, log };
}

describe('notifier', () => {
  it('shows grouped notifications and routes clicks to the ticket', () => {
    const { n, made, clicks } = notifier();
    expect(n.report([breach(1), assigned(2)])).toBe(2);
    expect(made.every((m) => m.shown)).toBe(true);
    expect(made[0]?.options).toMatchObject({ urgency: 'critical', timeoutType: 'never' });
    made[0]!.emit('click');
    expect(clicks).toEqual([num(1)]);
    expect(n.report(Array.from({ length: 50 }, (_, i) => assigned(i)))).toBe(1);
    made.at(-1)!.emit('click');
    expect(clicks).toEqual([num(1), undefined]);
  });

  it('is silent under Do Not Disturb, for batches and single requests', () => {
    const { n, made, log } = notifier(true);
    expect(n.report([breach(1)])).toBe(0);
    expect(n.show({ title: 'x', body: 'y' })).toBe(false);
    expect(made).toEqual([]);
    expect(log.lines).toContain('info: do not disturb: 1 events not notified');
  });

  it('logs instead of failing where notifications are unsupported', () => {
    const { n, made, log } = notifier(false, false);
    expect(n.report([breach(1)])).toBe(0);
    expect(made).toEqual([]);
    expect(log.lines.some((l) => l.includes('not supported'))).toBe(true);
  });
});
