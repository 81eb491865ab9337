import { describe, expect, it } from 'vitest';
import {
  evaluateSla,
  findSlaPolicy,
  slaConfigOf,
  slaCrossings,
  transition,
  updateFields,
  validateSlaConfigChange,
  validateSlaConfigDoc,
  type SlaConfig,
  type SlaPolicy,
  type Ticket,
} from '../../../../shared/domain';
import {
  DEFAULT_CALENDARS,
  DEFAULT_SLA_POLICIES,
  defaultSlaConfigDoc,
} from '../../../../server/src/provision/sla-defaults';
import { incident, T0 } from './fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const plus = (m: number) => new Date(Date.parse(T0) + m).toISOString();
const ADMIN = { name: 'ada', roles: ['admin'] };
const doc = defaultSlaConfigDoc('2026-12-01T00:00:00.000Z');
const next = (over: Record<string, unknown> = {}) => ({ ...doc, version: 2, ...over });

describe('the SLA configuration document', () => {
  it('setup provisions a valid version 1 with the default calendars and policies', () => {
    expect(validateSlaConfigDoc(doc)).toEqual({ ok: true, value: doc });
    expect(slaConfigOf(doc)).toEqual({
      calendars: DEFAULT_CALENDARS,
      policies: DEFAULT_SLA_POLICIES,
      version: 1,
    });
  });

  it.each([
    [{ id: 'other' }, 'the SLA configuration has id and type "sla-config"'],
    [{ schemaVersion: 2 }, 'schemaVersion must be 1'],
    [{ version: 0 }, 'version must be a whole number from 1'],
    [{ calendars: [] }, 'calendars must be a list of 1 to 100 calendars'],
    [{ calendars: [...doc.calendars, doc.calendars[0]] }, 'calendar 24x7 appears twice'],
    [
      { calendars: [{ ...doc.calendars[1]!, zone: 'Mars/Base' }, doc.calendars[0]] },
      'calendar business-hours: zone "Mars/Base" is not an IANA time zone like Europe/London',
    ],
    [
      { policies: [{ ...doc.policies[0]!, calendarId: 'nope' }] },
      'policy sla:incident:p1: calendar "nope" is not one of the configuration\'s calendars',
    ],
    [
      { policies: [{ ...doc.policies[0]!, responseMs: -1 }] },
      'policy sla:incident:p1: the response target must be a positive time',
    ],
    [
      {
        policies: [{ ...doc.policies[0]!, pauseReasons: { response: ['coffee'], resolution: [] } }],
      },
      'policy sla:incident:p1: pauseReasons.response: unknown coffee; use awaiting-caller, awaiting-vendor, awaiting-change, awaiting-problem, awaiting-evidence, awaiting-approval',
    ],
    [
      { policies: [{ ...doc.policies[0]!, conditions: { weather: ['rain'] } }] },
      'policy sla:incident:p1: unknown conditions weather',
    ],
    [
      { policies: [{ ...doc.policies[0]!, thresholds: { warning: 80, atRisk: 60 } }] },
      'policy sla:incident:p1: thresholds need a warning and an at-risk percentage, 0 < warning < at risk < 100',
    ],
    [
      { policies: [{ ...doc.policies[0]!, thresholds: { warning: 75, atRisk: 75 } }] },
      'policy sla:incident:p1: thresholds need a warning and an at-risk percentage, 0 < warning < at risk < 100',
    ],
    [{ policies: [doc.policies[0], doc.policies[0]] }, 'policy sla:incident:p1 appears twice'],
  ])('refuses %j: %s', (over, message) => {
    const v = validateSlaConfigDoc({ ...doc, ...over });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.errors).toContain(message);
  });

  it('is written by admins only, one version at a time', () => {
    expect(validateSlaConfigChange(doc, next(), ADMIN)).toEqual({ ok: true });
    expect(validateSlaConfigChange(null, doc, { name: 'setup', roles: ['_admin'] })).toEqual({
      ok: true,
    });
    expect(validateSlaConfigChange(doc, next(), { name: 'sam', roles: ['supervisor'] })).toEqual({
      ok: false,
      reason: 'Only admins change the SLA configuration.',
    });
    expect(validateSlaConfigChange(doc, next({ version: 3 }), ADMIN)).toEqual({
      ok: false,
      reason:
        'This change is to version 1 of the SLA configuration; it must be saved as version 2.',
    });
    expect(validateSlaConfigChange(doc, { ...doc }, ADMIN).ok).toBe(false);
    expect(validateSlaConfigChange(doc, next({ calendars: 'none' }), ADMIN).ok).toBe(false);
  });
});

const p1: SlaPolicy = {
  id: 'p1',
  kind: 'incident',
  priority: 1,
  responseMs: 15 * MINUTE,
  resolutionMs: 4 * HOUR,
  calendarId: '24x7',
};
const config = (policies: SlaPolicy[], over: Partial<SlaConfig> = {}): SlaConfig => ({
  calendars: DEFAULT_CALENDARS,
  policies,
  ...over,
});
const p1Ticket = (): Ticket => incident({ impact: 1, urgency: 1 });
const step = (t: Ticket, to: string, m: number, input = {}): Ticket => {
  const r = transition(t, to, input, { now: plus(m), actor: 'alice' });
  if (!r.ok) throw new Error(r.error.message);
  return r.ticket;
};

describe('pause rules', () => {
  const callerOnly: SlaPolicy = {
    ...p1,
    pauseReasons: { response: ['awaiting-caller'], resolution: ['awaiting-caller'] },
  };

  it('a P1 on hold awaiting vendor keeps counting and breaches; awaiting caller pauses', () => {
    let t = step(p1Ticket(), 'in-progress', 5 * MINUTE);
    const vendor = step(t, 'on-hold', HOUR, { onHoldReason: 'awaiting-vendor' });
    const r = evaluateSla(vendor, Date.parse(plus(5 * HOUR)), config([callerOnly]))!;
    expect(r.resolution).toMatchObject({ status: 'breached', paused: false });
    expect(r.resolution.dueAt).toBe(plus(4 * HOUR));
    t = step(t, 'on-hold', HOUR, { onHoldReason: 'awaiting-caller' });
    const c = evaluateSla(t, Date.parse(plus(5 * HOUR)), config([callerOnly]))!;
    expect(c.resolution).toMatchObject({ status: 'paused', elapsedMs: HOUR });
    // Without pause rules (configurations before them), every reason pauses.
    const old = evaluateSla(vendor, Date.parse(plus(5 * HOUR)), config([p1]))!;
    expect(old.resolution).toMatchObject({ status: 'paused', elapsedMs: HOUR });
  });

  it('a pause stops a clock for at most the cap', () => {
    const capped: SlaPolicy = { ...callerOnly, pauseCapMs: 30 * MINUTE };
    let t = step(p1Ticket(), 'in-progress', 5 * MINUTE);
    t = step(t, 'on-hold', HOUR, { onHoldReason: 'awaiting-caller' });
    const r = evaluateSla(t, Date.parse(plus(3 * HOUR)), config([capped]))!;
    // 1 h before the pause, 30 min paused, then 1.5 h counting again.
    expect(r.resolution).toMatchObject({ elapsedMs: 2.5 * HOUR, paused: false });
    expect(r.resolution.dueAt).toBe(plus(4.5 * HOUR));
  });

  it('time spent resolved never counts, however long, under a pause cap too', () => {
    const capped: SlaPolicy = { ...callerOnly, pauseCapMs: 30 * MINUTE };
    let t = step(p1Ticket(), 'in-progress', 5 * MINUTE);
    t = step(t, 'resolved', HOUR, { resolution: { code: 'fixed', notes: 'Reset the VPN' } });
    // Reopened a day later: the resolution clock counts 1 h before and 1 h after.
    t = step(t, 'in-progress', 25 * HOUR);
    for (const policy of [p1, capped]) {
      const r = evaluateSla(t, Date.parse(plus(26 * HOUR)), config([policy]))!;
      expect(r.resolution, policy.id).toMatchObject({ elapsedMs: 2 * HOUR, status: 'warning-50' });
    }
  });

  it('awaiting approval pauses a request only if the policy says so', () => {
    const req = { ...p1Ticket(), kind: 'request' as const, number: 'REQ-000000000000' };
    const policy: SlaPolicy = {
      ...p1,
      kind: 'request',
      pauseReasons: { response: [], resolution: [] },
    };
    const t = step(req, 'awaiting-approval', 0);
    expect(t.sla.pauses).toEqual([{ from: plus(0), to: null, reason: 'awaiting-approval' }]);
    const r = evaluateSla(t, Date.parse(plus(HOUR)), config([policy]))!;
    expect(r.resolution.elapsedMs).toBe(HOUR);
    const pausing = {
      ...policy,
      pauseReasons: { response: [], resolution: ['awaiting-approval' as const] },
    };
    expect(evaluateSla(t, Date.parse(plus(HOUR)), config([pausing]))!.resolution.elapsedMs).toBe(0);
  });
});

describe('policy conditions', () => {
  const ny: SlaPolicy = { ...p1, id: 'ny', conditions: { sites: ['New York'] } };
  const network: SlaPolicy = { ...p1, id: 'net', conditions: { groupIds: ['group:network'] } };
  const payroll: SlaPolicy = { ...p1, id: 'svc', conditions: { services: ['svc:payroll'] } };
  const facts = {
    personSite: new Map([['person:caller-0001', 'New York']]),
    ciService: new Map([['ci:srv-001', 'svc:payroll']]),
  };

  it('the first matching policy in the admin’s order wins', () => {
    const t = p1Ticket();
    expect(findSlaPolicy(config([ny, network, p1], { facts }), t)?.id).toBe('ny');
    expect(findSlaPolicy(config([network, ny, p1], { facts }), t)?.id).toBe('net');
    expect(findSlaPolicy(config([ny, p1]), t)?.id).toBe(p1.id); // no facts: no site known
    const elsewhere = { ...t, requesterId: 'person:caller-0002', groupId: 'group:desktop' };
    expect(findSlaPolicy(config([ny, network, p1], { facts }), elsewhere)?.id).toBe('p1');
    expect(findSlaPolicy(config([ny, network], { facts }), elsewhere)).toBeUndefined();
  });

  it('match on category and on the affected CI’s service', () => {
    const t = { ...p1Ticket(), ciId: 'ci:srv-001' };
    expect(findSlaPolicy(config([payroll, p1], { facts }), t)?.id).toBe('svc');
    const cat: SlaPolicy = { ...p1, id: 'cat', conditions: { categories: ['database'] } };
    expect(findSlaPolicy(config([cat, p1]), t)?.id).toBe('p1');
    expect(findSlaPolicy(config([cat, p1]), { ...t, category: 'database' })?.id).toBe('cat');
  });

  it('an empty list is no condition (an admin cleared it)', () => {
    const cleared: SlaPolicy = {
      ...p1,
      id: 'net-any-category',
      conditions: { groupIds: ['group:network'], categories: [] },
    };
    const t = p1Ticket();
    expect(findSlaPolicy(config([cleared, p1]), t)?.id).toBe('net-any-category');
    expect(findSlaPolicy(config([cleared, p1]), { ...t, groupId: 'group:desktop' })?.id).toBe('p1');
  });
});

describe('response as the policy defines it', () => {
  const at = (t: Ticket, m: number) => evaluateSla(t, Date.parse(plus(m)), config([policy]))!;
  let policy: SlaPolicy = p1;
  const onHold = () => step(p1Ticket(), 'on-hold', 5 * MINUTE, { onHoldReason: 'awaiting-caller' });

  it('first move out of new (the default): putting it on hold is a response', () => {
    policy = p1;
    expect(at(onHold(), 10 * MINUTE).response.status).toBe('met');
  });

  it('first public reply: on hold is no response; the first reply is', () => {
    policy = {
      ...p1,
      response: 'first-public-reply',
      pauseReasons: { response: [], resolution: [] },
    };
    const t = onHold();
    expect(at(t, 20 * MINUTE).response.status).toBe('breached');
    const replied = { ...t, sla: { ...t.sla, firstReplyAt: plus(10 * MINUTE) } };
    expect(at(replied, 20 * MINUTE).response).toMatchObject({
      status: 'met',
      elapsedMs: 10 * MINUTE,
    });
  });

  it('first assignment to a person, set once by the edit that assigns', () => {
    policy = { ...p1, response: 'first-assignment' };
    const r = updateFields(
      p1Ticket(),
      { assigneeId: 'ben' },
      { now: plus(7 * MINUTE), actor: 'sam' },
    );
    if (!r.ok) throw new Error('invalid');
    expect(r.value.sla.firstAssignedAt).toBe(plus(7 * MINUTE));
    const again = updateFields(
      { ...r.value, assigneeId: null },
      { assigneeId: 'alice' },
      { now: plus(30 * MINUTE), actor: 'sam' },
    );
    expect(again.ok && again.value.sla.firstAssignedAt).toBe(plus(7 * MINUTE));
    expect(at(r.value, 20 * MINUTE).response).toMatchObject({
      status: 'met',
      elapsedMs: 7 * MINUTE,
    });
    expect(at(p1Ticket(), 20 * MINUTE).response.status).toBe('breached');
  });
});

describe('warning thresholds per policy', () => {
  it('move the statuses, the crossings and their events', () => {
    const early: SlaPolicy = { ...p1, thresholds: { warning: 20, atRisk: 40 } };
    const t = p1Ticket();
    // 2 h of a 4 h resolution target: 50%, at risk under 20/40, only a first warning by default.
    expect(evaluateSla(t, Date.parse(plus(2 * HOUR)), config([early]))!.resolution.status).toBe(
      'warning-75',
    );
    expect(evaluateSla(t, Date.parse(plus(2 * HOUR)), config([p1]))!.resolution.status).toBe(
      'warning-50',
    );
    const crossings = slaCrossings(t, 0, Date.parse(plus(5 * HOUR)), config([early]));
    expect(crossings.filter((c) => c.clock === 'resolution')).toEqual([
      { clock: 'resolution', threshold: 20, level: 'warning', at: plus(0.8 * HOUR) },
      { clock: 'resolution', threshold: 40, level: 'at-risk', at: plus(1.6 * HOUR) },
      { clock: 'resolution', threshold: 100, level: 'breach', at: plus(4 * HOUR) },
    ]);
  });
});
