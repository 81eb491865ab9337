import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dedupeSlaEntries,
  evaluateSla,
  mergeTicket,
  slaRecordEntries,
  transition,
  updateFields,
  withSlaRecord,
  type SlaConfig,
  type SlaPolicy,
  type Ticket,
} from '../../../../shared/domain';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';
import { incident, T0 } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const plus = (m: number) => new Date(Date.parse(T0) + m).toISOString();
const config: SlaConfig = { ...DEFAULT_SLA_CONFIG, version: 7 };

/** A write as tickets-repo does it: the change, the record brought up to date, the entries. */
function write(before: Ticket | null, changed: Ticket, cfg = config) {
  const after = withSlaRecord(changed, cfg, changed.updatedAt);
  return { after, entries: slaRecordEntries(before, after, cfg) };
}
const created = () => write(null, incident({ impact: 1, urgency: 1 })).after;
const edit = (t: Ticket, patch: Parameters<typeof updateFields>[1], m: number) => {
  const r = updateFields(t, patch, { now: plus(m), actor: 'alice' });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return write(t, r.value);
};
const move = (t: Ticket, to: string, m: number, input = {}) => {
  const r = transition(t, to, input, { now: plus(m), actor: 'alice' });
  if (!r.ok) throw new Error(r.error.message);
  return write(t, r.ticket);
};
const events = (entries: { data: { event: string } }[]) => entries.map((e) => e.data.event);

describe('SLA records', () => {
  it('start with the ticket, naming the policy and the configuration version', () => {
    const t = incident({ impact: 1, urgency: 1 });
    const { after, entries } = write(null, t);
    expect(after.sla.record).toEqual({
      id: `${t.number}#1`,
      startedAt: T0,
      configVersion: 7,
      policy: DEFAULT_SLA_CONFIG.policies.find((p) => p.id === 'sla:incident:p1'),
    });
    expect(entries).toEqual([
      {
        at: T0,
        body: expect.stringContaining('SLA started: sla:incident:p1 (configuration v7)'),
        data: {
          record: `${t.number}#1`,
          event: 'start',
          policyId: 'sla:incident:p1',
          configVersion: 7,
          calendarId: '24x7',
          dueAt: { response: plus(15 * MINUTE), resolution: plus(4 * HOUR) },
        },
      },
    ]);
  });

  it('a downgrade of a breached P1 records the breach, cancels the record and starts a new one', () => {
    const p1 = move(created(), 'in-progress', 5 * MINUTE).after;
    // 5 h later (125% of the 4 h resolution target) the priority drops to P4 (impact 3, urgency 2).
    const { after, entries } = edit(p1, { impact: 3, urgency: 2 }, 5 * HOUR);
    expect(after.priority).toBe(4);
    expect(events(entries)).toEqual(['threshold', 'threshold', 'breach', 'cancel', 'start']);
    expect(entries[2]).toMatchObject({
      at: plus(4 * HOUR),
      body: 'Resolution target breached',
      data: { record: `${p1.number}#1`, clock: 'resolution', policyId: 'sla:incident:p1' },
    });
    expect(entries[3]).toMatchObject({
      at: plus(5 * HOUR),
      body: 'SLA cancelled: priority changed (Critical → Low)',
    });
    expect(after.sla.record).toMatchObject({ id: `${p1.number}#2`, startedAt: plus(5 * HOUR) });
    // The new record counts from the change (the default), on the P4 policy.
    const r = evaluateSla(after, Date.parse(plus(5 * HOUR)), config)!;
    expect(r).toMatchObject({ policyId: 'sla:incident:p4', recordId: `${p1.number}#2` });
    expect(r.resolution.elapsedMs).toBe(0);
  });

  it('the new record counts from creation when the policy says so (retroactive start)', () => {
    const retro: SlaConfig = {
      ...config,
      policies: config.policies.map((p) => ({ ...p, restartFrom: 'creation' as const })),
    };
    const p4 = write(null, incident({ impact: 3, urgency: 2 }), retro).after;
    // Upgraded to P1 two hours in: the P1 record counts from creation and has breached response.
    const r1 = updateFields(p4, { impact: 1, urgency: 1 }, { now: plus(2 * HOUR), actor: 'alice' });
    if (!r1.ok) throw new Error('invalid');
    const { after, entries } = write(p4, r1.value, retro);
    expect(after.sla.record).toMatchObject({ id: `${p4.number}#2`, startedAt: T0 });
    expect(events(entries)).toEqual([
      'cancel',
      'start',
      'threshold',
      'threshold',
      'breach',
      'threshold',
    ]);
    expect(evaluateSla(after, Date.parse(plus(2 * HOUR)), retro)!.response.status).toBe('breached');
  });

  it('a record keeps its policy when an admin changes the policy later', () => {
    const t = created();
    const stricter: SlaConfig = {
      ...config,
      version: 8,
      policies: config.policies.map((p) =>
        p.id === 'sla:incident:p1' ? { ...p, resolutionMs: HOUR } : p,
      ),
    };
    const r = evaluateSla(t, Date.parse(plus(2 * HOUR)), stricter)!;
    expect(r.resolution).toMatchObject({ status: 'warning-50', targetMs: 4 * HOUR });
    // A new ticket gets the new policy.
    const fresh = write(
      null,
      incident({ impact: 1, urgency: 1 }, 'INC-000000000009'),
      stricter,
    ).after;
    expect(fresh.sla.record).toMatchObject({ configVersion: 8, policy: { resolutionMs: HOUR } });
  });

  it('records pauses, resumes and the stop of each clock', () => {
    let t = created();
    let w = move(t, 'in-progress', 5 * MINUTE);
    expect(events(w.entries)).toEqual(['met']);
    expect(w.entries[0]!.body).toBe('Response target met (33% used)');
    t = w.after;
    w = move(t, 'on-hold', HOUR, { onHoldReason: 'awaiting-caller' });
    expect(w.entries.map((e) => e.body)).toEqual(['SLA paused (awaiting caller)']);
    t = w.after;
    w = move(t, 'in-progress', 2 * HOUR);
    expect(w.entries.map((e) => e.body)).toEqual(['SLA resumed']);
    t = w.after;
    w = move(t, 'resolved', 6 * HOUR, { resolution: { code: 'fixed', notes: 'Swapped the PSU' } });
    // 1 h + 4 h = 5 h counted of 4 h: the 50/75/100% crossings since the last write, then missed.
    expect(events(w.entries)).toEqual(['threshold', 'threshold', 'breach', 'missed']);
    // Resolved: a later edit writes nothing and keeps the record.
    const after = edit(w.after, { title: 'PSU failure' }, 7 * HOUR);
    expect(after.entries).toEqual([]);
    expect(after.after.sla.record).toEqual(w.after.sla.record);
  });
});

describe('the stop of a clock', () => {
  it('exactly at the target is recorded as missed, as the reading says', () => {
    // The P1 response target is 15 min: the first move at 15 min uses all of it.
    const w = move(created(), 'in-progress', 15 * MINUTE);
    expect(evaluateSla(w.after, Date.parse(plus(15 * MINUTE)), config)?.response.status).toBe(
      'missed',
    );
    expect(w.entries.filter((e) => e.data.clock === 'response').map((e) => e.body)).toEqual([
      'Response target 50% used',
      'Response target 75% used',
      'Response target breached',
      'Response target missed (100% used)',
    ]);
    // A minute earlier it is met.
    const early = move(created(), 'in-progress', 14 * MINUTE);
    expect(events(early.entries)).toEqual(['threshold', 'threshold', 'met']);
  });
});

describe('a ticket on hold twice', () => {
  it('keeps every pause and resume entry when duplicates are dropped', () => {
    let t = move(created(), 'in-progress', 5 * MINUTE).after;
    const all: { id: string; at: string; body: string; data: Record<string, unknown> }[] = [];
    for (const [i, [to, m, input]] of (
      [
        ['on-hold', HOUR, { onHoldReason: 'awaiting-caller' }],
        ['in-progress', 2 * HOUR, {}],
        ['on-hold', 3 * HOUR, { onHoldReason: 'awaiting-vendor' }],
        ['in-progress', 4 * HOUR, {}],
      ] as const
    ).entries()) {
      const w = move(t, to, m, input);
      all.push(...w.entries.map((e, j) => ({ ...e, id: `alice-${i}-${j}` })));
      t = w.after;
    }
    const kept = dedupeSlaEntries(all).filter((e) =>
      ['pause', 'resume'].includes(String(e.data.event)),
    );
    expect(kept.map((e) => [e.body, e.at])).toEqual([
      ['SLA paused (awaiting caller)', plus(HOUR)],
      ['SLA resumed', plus(2 * HOUR)],
      ['SLA paused (awaiting vendor)', plus(3 * HOUR)],
      ['SLA resumed', plus(4 * HOUR)],
    ]);
  });
});

describe('a resolved record', () => {
  it('keeps the calendar it stopped on, and follows the desk’s again once reopened', () => {
    // A P3 on London office hours, resolved on Tuesday 3 March 2026.
    let t = write(null, incident()).after;
    t = move(t, 'in-progress', 10 * MINUTE).after;
    const resolved = move(t, 'resolved', 26 * HOUR, {
      resolution: { code: 'fixed', notes: 'Done' },
    }).after;
    const office = config.calendars.find((c) => c.id === 'business-hours')!;
    expect(resolved.sla.record?.calendar).toEqual(office);
    // The desk moves to New York and closes on that Tuesday: the resolved ticket does not move.
    const moved: SlaConfig = {
      ...config,
      version: 8,
      calendars: config.calendars.map((c) =>
        c.kind === 'weekly'
          ? { ...c, zone: 'America/New_York', holidays: [{ date: '2026-03-03', name: 'Closed' }] }
          : c,
      ),
    };
    const later = Date.parse(plus(30 * 24 * HOUR));
    expect(evaluateSla(resolved, later, moved)).toEqual(evaluateSla(resolved, later, config));
    // Reopened, the clocks count on the desk's current calendar again.
    const reopened = move(resolved, 'in-progress', 27 * HOUR).after;
    expect(reopened.sla.record?.calendar).toBeUndefined();
    expect(reopened.sla.record?.id).toBe(resolved.sla.record?.id);
    expect(evaluateSla(reopened, later, moved)).not.toEqual(evaluateSla(reopened, later, config));
  });
});

describe('two devices offline', () => {
  const base = move(created(), 'in-progress', 5 * MINUTE).after;
  const byBen = (t: Ticket): Ticket => ({ ...t, updatedBy: 'ben' });
  // Alice lowers the priority to P3; Ben, offline too, to P4.
  const local = edit(base, { impact: 2, urgency: 2 }, HOUR).after;
  const remote = byBen(edit(base, { impact: 3, urgency: 2 }, HOUR + MINUTE).after);

  it('merge the running record the same way whichever side is local', () => {
    const a = mergeTicket(base, local, remote).merged;
    const b = mergeTicket(base, remote, local).merged;
    expect(a.sla.record).toEqual(b.sla.record);
    // The merged priority is the later edit's; the record is the one for that priority.
    expect(a.sla.record?.policy.priority).toBe(a.priority);
  });

  it('keep one entry per recorded fact, whatever order the entries arrive in', () => {
    const one = slaRecordEntries(base, { ...base, updatedAt: plus(5 * HOUR) }, config);
    const entries = [
      ...one.map((e, i) => ({ ...e, id: `alice-${i}` })),
      ...one.map((e, i) => ({ ...e, id: `ben-${i}` })),
      {
        id: 'ben-pause',
        at: plus(3 * HOUR),
        body: 'SLA paused',
        data: { ...one[0]!.data, event: 'pause' },
      },
    ];
    const want = dedupeSlaEntries(entries);
    expect(want.map((e) => e.id)).toEqual(['alice-0', 'alice-1', 'ben-pause', 'alice-2']);
    fc.assert(
      fc.property(fc.shuffledSubarray(entries, { minLength: entries.length }), (shuffled) => {
        expect(dedupeSlaEntries(shuffled)).toEqual(want);
      }),
    );
  });
});

describe('policies with conditions', () => {
  it('a change of group moves the ticket to the policy its fields now match', () => {
    const special: SlaPolicy = {
      id: 'network-p1',
      kind: 'incident',
      priority: 1,
      responseMs: 5 * MINUTE,
      resolutionMs: HOUR,
      calendarId: '24x7',
      conditions: { groupIds: ['group:network'] },
    };
    const cfg: SlaConfig = { ...config, policies: [special, ...config.policies] };
    const t = write(null, incident({ impact: 1, urgency: 1 }), cfg).after;
    expect(t.sla.record?.policy.id).toBe('network-p1');
    const r = updateFields(t, { groupId: 'group:desktop' }, { now: plus(MINUTE), actor: 'sam' });
    if (!r.ok) throw new Error('invalid');
    const w = write(t, r.value, cfg);
    expect(w.after.sla.record?.policy.id).toBe('sla:incident:p1');
    expect(w.entries.find((e) => e.data.event === 'cancel')?.body).toBe(
      'SLA cancelled: policy conditions changed',
    );
  });
});
