import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allowedTransitions,
  auditChanges,
  createTicket,
  judgeSteps,
  KIND_PREFIX,
  pathBetween,
  rulesFrom,
  STATE_MACHINES,
  TICKET_KINDS,
  transition,
  type Ticket,
  type TicketKind,
  type TransitionInput,
} from '../../../../shared/domain';
import { validate } from '../../../../server/src/design/validate-entry';

// What the server runs (validate_doc_update's entry, on CouchDB-shaped documents), for a user
// who may move any ticket: the rules under test are the state machine's, not the role rules.
const agent = { name: 'alice', roles: ['agent'] };
const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

function ticketOf(kind: TicketKind): Ticket {
  const r = createTicket(
    {
      kind,
      title: 'Printer jam',
      description: '',
      requesterId: 'person:caller-0001',
      ciId: null,
      category: 'hardware',
      impact: 2,
      urgency: 2,
      groupId: 'group:desktop',
      assigneeId: 'alice',
    },
    { now: iso(0), actor: 'alice', number: `${KIND_PREFIX[kind]}-000000000001` },
  );
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.value;
}

const INPUT: TransitionInput = {
  onHoldReason: 'awaiting-caller',
  resolution: { code: 'fixed', notes: 'Cleared the paper path.' },
};

/** Walks `choices` valid moves from `t` (each choice picks one of the moves then allowed). */
function walk(t: Ticket, choices: readonly number[], minute: number): Ticket[] {
  const versions: Ticket[] = [];
  let at = t;
  for (const [i, c] of choices.entries()) {
    const rules = allowedTransitions(at);
    if (rules.length === 0) break;
    const r = transition(at, rules[c % rules.length]!.to, INPUT, {
      now: iso(minute + i + 1),
      actor: 'alice',
    });
    if (!r.ok) throw new Error(r.error.message);
    at = r.ticket;
    versions.push(at);
  }
  return versions;
}

const couch = (t: Ticket, rev?: string) => {
  const { number, ...rest } = t;
  return { _id: number, ...(rev ? { _rev: rev } : {}), ...rest };
};

/** The state-change entries the device writes for each move, as the server receives them. */
function stepEntries(before: Ticket, versions: readonly Ticket[]) {
  const last = versions.at(-1) ?? before;
  return auditChanges(before, last, versions.slice(0, -1))
    .filter((a) => a.type === 'state-change')
    .map((a, i) => ({
      _id: `${before.number}:${a.at}:dev:${i}`,
      ticketNumber: before.number,
      type: a.type,
      at: a.at!,
      by: 'alice',
      schemaVersion: 1,
      body: a.body,
      data: a.data,
    }));
}

const kinds = fc.constantFrom(...TICKET_KINDS);
const moves = fc.array(fc.nat({ max: 20 }), { maxLength: 12 });

describe('several moves made offline, pushed as one write', () => {
  it('are accepted, and the activity holds every step with the device time', () => {
    fc.assert(
      fc.property(kinds, moves, moves, (kind, synced, offline) => {
        // The server has the ticket as it was after `synced` moves; `offline` moves follow.
        const server = walk(ticketOf(kind), synced, 0).at(-1) ?? ticketOf(kind);
        const versions = walk(server, offline, 100);
        const pushed = versions.at(-1) ?? server;
        const verdict = validate('tickets', couch(pushed, '2-x'), couch(server, '1-x'), agent);
        expect(verdict, `${server.state} → ${pushed.state}`).toEqual({ ok: true });
        const entries = stepEntries(server, versions);
        expect(entries.map((e) => [e.data.from, e.data.to, e.at])).toEqual(
          versions.map((v, i) => [(versions[i - 1] ?? server).state, v.state, v.updatedAt]),
        );
        for (const e of entries) expect(validate('activity', e, null, agent)).toEqual({ ok: true });
        const steps = entries.map((e) => ({
          ...e.data,
          from: e.data.from,
          to: e.data.to,
          at: e.at,
        }));
        expect(judgeSteps(kind, server.state, steps, pushed.state)).toEqual({ ok: true });
      }),
      { numRuns: 400 },
    );
  });

  it('with an invalid step: the refusal names the step', () => {
    fc.assert(
      fc.property(kinds, moves, fc.nat(), fc.nat(), (kind, offline, where, pickBad) => {
        const start = ticketOf(kind);
        const versions = walk(start, offline, 0);
        const entries = stepEntries(start, versions);
        const steps = entries.map((e) => ({
          ...e.data,
          from: e.data.from,
          to: e.data.to,
          at: e.at,
        }));
        const i = where % (steps.length + 1);
        const from = i === 0 ? start.state : String(steps[i - 1]!.to);
        const machine = STATE_MACHINES[kind];
        // A move the state machine does not have from there, or one without its required input.
        const unreachable = machine.states.filter(
          (s) => s !== from && !rulesFrom(kind, from).some((r) => r.to === s),
        );
        const needy = rulesFrom(kind, from).filter((r) => r.requires.length > 0);
        const options = [
          ...unreachable.map((to) => ({ from, to })),
          ...needy.map((r) => ({ from, to: r.to })),
        ];
        fc.pre(options.length > 0);
        const bad = { ...options[pickBad % options.length]!, at: iso(500) };
        const name = `${bad.from} → ${bad.to} at ${bad.at}`;
        const judged = judgeSteps(kind, start.state, [...steps.slice(0, i), bad], bad.to);
        expect(judged).toMatchObject({ ok: false, index: i });
        if (!judged.ok) expect(judged.reason).toContain(`Step ${i + 1} (${name})`);
        const entry = {
          _id: `${start.number}:bad`,
          ticketNumber: start.number,
          type: 'state-change',
          at: bad.at,
          by: 'alice',
          schemaVersion: 1,
          body: 'State',
          data: { from: bad.from, to: bad.to },
        };
        const refused = validate('activity', entry, null, agent);
        expect(refused.ok).toBe(false);
        if (!refused.ok) expect(refused.reason).toContain(`State change ${name}:`);
      }),
      { numRuns: 400 },
    );
  });

  it('an edit that leaves the state as it is passes in every state; staying put is no move', () => {
    for (const kind of TICKET_KINDS)
      for (const state of STATE_MACHINES[kind].states) {
        // The ticket brought to `state` by valid moves, as the server has it.
        let t = ticketOf(kind);
        for (const [i, step] of (pathBetween(kind, t.state, state, true) ?? []).entries()) {
          const r = transition(t, step.to, INPUT, { now: iso(i + 1), actor: 'alice' });
          if (!r.ok) throw new Error(r.error.message);
          t = r.ticket;
        }
        expect(t.state).toBe(state);
        const edited = { ...t, title: 'Printer jams on tray 2', updatedAt: iso(50) };
        expect(
          validate('tickets', couch(edited, '3-x'), couch(t, '2-x'), agent),
          `${kind} ${state}`,
        ).toEqual({ ok: true });
        // Moving to the state it is in is not one of the moves: refused as a move and as a step.
        expect(transition(t, state, INPUT, { now: iso(51), actor: 'alice' })).toMatchObject({
          ok: false,
          error: { code: 'not-allowed' },
        });
        const step = { from: state, to: state, at: iso(51) };
        expect(judgeSteps(kind, state, [step], state)).toMatchObject({ ok: false, index: 0 });
      }
  });

  it('refuses a ticket write no run of valid moves explains, saying why', () => {
    const inc = ticketOf('incident');
    const closedBare = { ...inc, state: 'closed', updatedAt: iso(9) };
    const r = validate('tickets', couch(closedBare, '2-x'), couch(inc, '1-x'), agent);
    expect(r).toEqual({
      ok: false,
      reason:
        'A incident cannot move from new to closed without the resolution its "Resolve" step requires.',
    });
    const done = walk(ticketOf('workorder'), [0], 0)[0]!; // new → assigned
    expect(done.state).toBe('assigned');
    const wo = { ...done, state: 'closed', updatedAt: iso(9) };
    expect(validate('tickets', couch(wo, '3-x'), couch(done, '2-x'), agent).ok).toBe(true);
    const cancelled = { ...done, state: 'cancelled' };
    const back = { ...done, state: 'assigned', updatedAt: iso(10) };
    expect(validate('tickets', couch(back, '4-x'), couch(cancelled, '3-x'), agent)).toEqual({
      ok: false,
      reason: 'A workorder cannot move from cancelled to assigned by any valid moves.',
    });
    // A problem resolved and reopened offline shows no resolution any more, and needs none.
    expect(pathBetween('problem', 'known-error', 'root-cause-analysis', false)?.length).toBe(2);
  });
});
