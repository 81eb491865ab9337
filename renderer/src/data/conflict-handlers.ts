/**
 * RxDB conflict handlers. Tickets are merged field by field by the shared three-way merge (base =
 * the state this device last saw from the server); a merge that changes the server's version is
 * a write by the signed-in user, so it names them (`updatedBy`) with the device's current time
 * (the server refuses a content change under someone else's name); each lossy merge leaves a
 * conflict record, by the same user, in the activity stream. Activity entries are append-only and never conflict in content; reference
 * data belongs to supervisors, so the server's version wins.
 */
import type { RxConflictHandler, WithDeleted } from 'rxdb';
import {
  isPausedState,
  mergeTicket,
  type Ticket,
  type FieldConflict,
} from '../../../shared/domain';
import { jsonEqual } from './deep-equal';

type Doc = Record<string, unknown>;

/** Receives the conflicts of each lossy ticket merge, to record them in activity. */
export type ConflictSink = (
  ticketNumber: string,
  conflicts: readonly FieldConflict[],
  merged: Ticket,
) => void;

/**
 * Per-replica conflict state: versions the server refused (the handler must not merge them back
 * in) and where lossy merges are reported. One per local database, so two replicas in one
 * process (tests, several accounts) never share it.
 */
export type ConflictContext = {
  readonly refused: Map<string, Doc>;
  /** The signed-in user, who writes the merges (null until a workspace opens the replica). */
  writer: string | null;
  /** The device's clock (a parameter for tests). */
  now: () => string;
  sink: ConflictSink;
  /** A local version was settled without a push (the server's version is the result). */
  settled: (ticketNumber: string) => void;
};

/** A fresh conflict context whose sink does nothing until the replica sets it. */
export function createConflictContext(): ConflictContext {
  return {
    refused: new Map(),
    writer: null,
    now: () => new Date().toISOString(),
    sink: () => undefined,
    settled: () => undefined,
  };
}

/** The ticket without who wrote it and when (the server's test for "a change of content"). */
function contentOf(d: Doc): Doc {
  const { updatedBy: _by, updatedAt: _at, _deleted: _d, ...rest } = d;
  return rest;
}

/**
 * A merged ticket whose state is not a paused one keeps no pause open that the server's version
 * does not have: when the other side's state won over this side's hold, the hold's pause ends at
 * the later of the two edits (an open pause would stop a running ticket's clock, and the server
 * takes a new open pause only from a move into a paused state).
 */
export function endStrayPauses(merged: Ticket, local: Ticket, remote: Ticket): Ticket {
  if (isPausedState(merged.kind, merged.state)) return merged;
  const openOnServer = new Set(remote.sla.pauses.filter((p) => p.to === null).map((p) => p.from));
  const latest = local.updatedAt > remote.updatedAt ? local.updatedAt : remote.updatedAt;
  const stray = (p: Ticket['sla']['pauses'][number]) => p.to === null && !openOnServer.has(p.from);
  if (!merged.sla.pauses.some(stray)) return merged;
  const pauses = merged.sla.pauses.map((p) =>
    stray(p) ? { ...p, to: p.from > latest ? p.from : latest } : p,
  );
  return { ...merged, sla: { ...merged.sla, pauses } };
}

/**
 * The merge as the signed-in user's write: their name, and the device's time unless the merged
 * edit's is later (a clock behind the server's never moves a ticket's time back).
 */
export function stampMerge(merged: Ticket, writer: string, nowIso: string): Ticket {
  return {
    ...merged,
    updatedBy: writer,
    updatedAt: nowIso > merged.updatedAt ? nowIso : merged.updatedAt,
  };
}

/** Key of a refused local version. */
export function refusedKey(collection: string, docId: string): string {
  return `${collection}:${docId}`;
}

const isEqual = (a: WithDeleted<Doc>, b: WithDeleted<Doc>): boolean => jsonEqual(a, b);

/** Ticket conflicts: three-way field-level merge. */
export function ticketConflictHandler(ctx: ConflictContext): RxConflictHandler<Doc> {
  const refused = (doc: WithDeleted<Doc>): boolean => {
    const r = ctx.refused.get(refusedKey('tickets', String(doc.number)));
    return r !== undefined && jsonEqual({ ...r, _deleted: doc._deleted }, doc);
  };
  return {
    isEqual,
    resolve: (i) => {
      const remote = i.realMasterState;
      const local = i.newDocumentState;
      if (refused(local) || remote._deleted || local._deleted) {
        ctx.settled(String(remote.number ?? local.number));
        return Promise.resolve(remote);
      }
      const base =
        i.assumedMasterState && !i.assumedMasterState._deleted ? i.assumedMasterState : null;
      const r = mergeTicket(
        base as unknown as Ticket | null,
        local as unknown as Ticket,
        remote as unknown as Ticket,
      );
      const settledMerge = endStrayPauses(
        r.merged,
        local as unknown as Ticket,
        remote as unknown as Ticket,
      );
      // What a side lost is recorded, also when the server's version is the result. The record
      // is dated by the merged edit (not the stamp below), so recording the same merge again on
      // this device writes the same document.
      if (r.conflicts.length > 0) ctx.sink(settledMerge.number, r.conflicts, settledMerge);
      // Nothing of ours is left to push: the server's version is the result, and the pending
      // marker goes.
      if (jsonEqual(contentOf(settledMerge), contentOf(remote))) {
        ctx.settled(settledMerge.number);
        return Promise.resolve(remote);
      }
      const merged =
        ctx.writer === null ? settledMerge : stampMerge(settledMerge, ctx.writer, ctx.now());
      return Promise.resolve({ ...(merged as unknown as Doc), _deleted: false });
    },
  };
}

/** Server wins (append-only activity, reference data). */
export const serverWinsConflictHandler: RxConflictHandler<Doc> = {
  isEqual,
  resolve: (i) => Promise.resolve(i.realMasterState),
};
