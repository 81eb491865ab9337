/**
 * The client's ticket conflict handler writes its merges as the signed-in user (issue 21): a
 * merge that changes the server's version names the writer and the device's time, so the
 * server's rule (a content change names its writer) passes it; a merge that leaves the server's
 * version as it was is settled without a push. Merged pauses stay ones a state change made.
 */
import { describe, expect, it } from 'vitest';
import type { RxConflictHandlerInput } from 'rxdb';
import {
  createConflictContext,
  ticketConflictHandler,
} from '../../../renderer/src/data/conflict-handlers';
import { conflictActivity, transition, type Ticket } from '../../../shared/domain';
import { ticketMetadataError } from '../../../shared/domain/write-truth';
import { validateActivityChange } from '../../../shared/domain/activity';
import { incident } from '../shared/domain/fixtures';

type Doc = Record<string, unknown>;
const at = (m: number) => `2026-03-02T10:${String(m).padStart(2, '0')}:00.000Z`;
const NOW = '2026-03-02T11:00:00.000Z';
const alice = { name: 'alice', roles: ['agent'] };

function move(t: Ticket, to: string, m: number, by: string, input = {}): Ticket {
  const r = transition(t, to, input, { now: at(m), actor: by });
  if (!r.ok) throw new Error(r.error.message);
  return r.ticket;
}
const edit = (t: Ticket, patch: Partial<Ticket>, m: number, by: string): Ticket => ({
  ...t,
  ...patch,
  updatedAt: at(m),
  updatedBy: by,
});
const doc = (t: Ticket) => ({ ...(t as unknown as Doc), _deleted: false });

async function resolve(base: Ticket, local: Ticket, remote: Ticket, now = NOW) {
  const ctx = createConflictContext();
  ctx.writer = 'alice';
  ctx.now = () => now;
  const recorded: Doc[] = [];
  const settled: string[] = [];
  ctx.sink = (n, c, merged) => recorded.push(...conflictActivity(n, c, merged, 'alice'));
  ctx.settled = (n) => settled.push(n);
  const input = {
    assumedMasterState: doc(base),
    realMasterState: doc(remote),
    newDocumentState: doc(local),
  } as unknown as RxConflictHandlerInput<Doc>;
  const result = await ticketConflictHandler(ctx).resolve(input, 'test');
  return { result: result as Doc, recorded, settled };
}

describe('the ticket conflict handler', () => {
  const base = move(incident(), 'in-progress', 0, 'ben');

  it('stamps a merge that changes the server’s version with the signed-in user and now', async () => {
    const local = edit(base, { title: 'Mine' }, 1, 'alice');
    const remote = edit(base, { description: 'Theirs' }, 5, 'ben');
    const { result } = await resolve(base, local, remote);
    expect(result).toMatchObject({
      title: 'Mine',
      description: 'Theirs',
      updatedBy: 'alice',
      updatedAt: NOW,
    });
    const { _deleted, ...written } = result;
    void _deleted;
    expect(ticketMetadataError(remote as unknown as Doc, written, alice, NOW)).toBeNull();
    // The merge as the shared merge alone makes it names ben: the server refuses it from alice.
    expect(
      ticketMetadataError(
        remote as unknown as Doc,
        { ...written, updatedBy: remote.updatedBy, updatedAt: remote.updatedAt },
        alice,
        NOW,
      ),
    ).toMatch(/updatedBy/);
  });

  it('never moves the time back when the device’s clock is behind the stored edit', async () => {
    const local = edit(base, { title: 'Mine' }, 1, 'alice');
    const remote = edit(base, { description: 'Theirs' }, 30, 'ben');
    const { result } = await resolve(base, local, remote, at(10));
    expect(result).toMatchObject({ updatedBy: 'alice', updatedAt: at(30) });
  });

  it('settles a merge that leaves the server’s version as it was, without a push', async () => {
    const local = edit(base, { title: 'Same' }, 1, 'alice');
    const remote = edit(base, { title: 'Same' }, 5, 'ben');
    const { result, settled } = await resolve(base, local, remote);
    expect(result).toEqual(doc(remote));
    expect(settled).toEqual([base.number]);
  });

  it('records what this side lost even when the server’s version is the result', async () => {
    const local = edit(base, { title: 'Mine, earlier' }, 1, 'alice');
    const remote = edit(base, { title: 'Theirs, later' }, 5, 'ben');
    const { result, recorded, settled } = await resolve(base, local, remote);
    expect(result).toEqual(doc(remote));
    expect(settled).toEqual([base.number]);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({
      by: 'alice',
      data: { field: 'title', kept: 'Theirs, later', lost: 'Mine, earlier' },
    });
  });

  it('records lost values as the signed-in user, which the server accepts from them', async () => {
    const local = edit(base, { impact: 1 }, 1, 'alice');
    const remote = edit(base, { impact: 3 }, 5, 'ben');
    const { recorded } = await resolve(base, local, remote);
    expect(recorded).toHaveLength(1);
    // Dated by the merged edit, so recording the same merge again writes the same document.
    expect(recorded[0]).toMatchObject({ by: 'alice', at: at(5) });
    const again = await resolve(base, local, remote, '2026-03-02T11:30:00.000Z');
    expect(again.recorded.map((d) => d.id)).toEqual(recorded.map((d) => d.id));
    expect(validateActivityChange(null, recorded[0]!, alice)).toEqual({ ok: true });
  });

  it('ends a pause its side opened when the other side’s state won', async () => {
    // Offline, alice put the ticket on hold; meanwhile ben resolved it, later.
    const local = move(base, 'on-hold', 1, 'alice', { onHoldReason: 'awaiting-caller' });
    const remote = move(base, 'resolved', 5, 'ben', {
      resolution: { code: 'fixed', notes: 'Done' },
    });
    const { result } = await resolve(base, local, remote);
    expect(result.state).toBe('resolved');
    const pauses = (result.sla as Ticket['sla']).pauses;
    expect(pauses).toEqual([{ from: at(1), to: at(5), reason: 'awaiting-caller' }]);
    const { _deleted, ...written } = result;
    void _deleted;
    expect(ticketMetadataError(remote as unknown as Doc, written, alice, NOW)).toBeNull();
  });

  it('keeps both pauses of two holds, which the server accepts', async () => {
    const local = move(base, 'on-hold', 1, 'alice', { onHoldReason: 'awaiting-caller' });
    const remote = move(base, 'on-hold', 5, 'ben', { onHoldReason: 'awaiting-vendor' });
    const { result } = await resolve(base, local, remote);
    expect(result.state).toBe('on-hold');
    expect((result.sla as Ticket['sla']).pauses).toHaveLength(2);
    const { _deleted, ...written } = result;
    void _deleted;
    expect(ticketMetadataError(remote as unknown as Doc, written, alice, NOW)).toBeNull();
  });
});
