/**
 * Presence client: reports which ticket this person has open (and whether they are editing it)
 * to the server's presence database, and follows everyone else's reports through one long-poll
 * `_changes` feed. Online only: while the device is offline (or "work offline" is on) it sends
 * nothing and reports nobody, so stale faces are never shown.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import { couchJson, CouchHttpError, isAbort, type Fetch } from './couch-http';
import { databaseName } from '../../../shared/sync/databases';
import {
  PRESENCE_HEARTBEAT_MS,
  PRESENCE_TTL_MS,
  presenceId,
  toPresence,
  type Presence,
} from '../../../shared/presence/presence';

export type PresenceClient = {
  /** Everyone's fresh reports (this person's included), re-emitted as reports come and expire. */
  readonly reports$: Observable<readonly Presence[]>;
  /** What this person is doing now; sent at once and repeated as a heartbeat. */
  readonly report: (ticketNumber: string | null, editing: boolean) => void;
  readonly stop: () => Promise<void>;
};

export type PresenceOptions = {
  readonly fetch?: Fetch;
  /** Whether requests may leave the device (see SyncController.connected$). */
  readonly connected$: Observable<boolean>;
  /** Long-poll timeout; the server answers at the latest after this. */
  readonly longPollMs?: number;
};

type ChangesAnswer = {
  readonly results: readonly { readonly id: string; readonly doc?: unknown }[];
  readonly last_seq: string | number;
};

/** Starts presence for `user` against the server at `couchUrl`. */
export function startPresence(
  couchUrl: string,
  prefix: string,
  user: string,
  opts: PresenceOptions,
): PresenceClient {
  const base = `${couchUrl.replace(/\/$/, '')}/${databaseName(prefix, 'presence')}`;
  const docUrl = `${base}/${encodeURIComponent(presenceId(user))}`;
  const fetchImpl = opts.fetch;
  const reports = new Map<string, Presence>();
  const reports$ = new BehaviorSubject<readonly Presence[]>([]);
  let connected = false;
  let stopped = false;
  let rev: string | undefined;
  let mine: Omit<Presence, 'at'> = { user, ticketNumber: null, editing: false };
  let poll: AbortController | null = null;

  const emit = (): void => {
    const now = Date.now();
    for (const [k, p] of reports) if (now - Date.parse(p.at) > PRESENCE_TTL_MS) reports.delete(k);
    reports$.next(connected ? [...reports.values()] : []);
  };

  let sending: Promise<void> = Promise.resolve();
  const send = (): void => {
    if (!connected || stopped) return;
    const body: Presence = { ...mine, at: new Date().toISOString() };
    sending = sending.then(() => put(body).catch(() => undefined));
  };
  const put = async (body: Presence, retry = true): Promise<void> => {
    try {
      const r = await couchJson<{ rev: string }>(
        docUrl,
        { method: 'PUT', body: JSON.stringify({ ...body, ...(rev ? { _rev: rev } : {}) }) },
        fetchImpl,
      );
      rev = r.rev;
    } catch (err) {
      if (!(err instanceof CouchHttpError) || err.status !== 409 || !retry) throw err;
      // Another window of ours (or an earlier run) moved the document on: take its revision.
      const current: { _rev?: string } = await couchJson<{ _rev?: string }>(
        docUrl,
        {},
        fetchImpl,
      ).catch(() => ({}));
      rev = current._rev;
      await put(body, false);
    }
  };

  const follow = async (): Promise<void> => {
    let since: string | number = 0;
    while (!stopped) {
      if (!connected) {
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      poll = new AbortController();
      try {
        const feed = since === 0 ? 'normal' : 'longpoll';
        const answer: ChangesAnswer = await couchJson<ChangesAnswer>(
          `${base}/_changes?feed=${feed}&include_docs=true&since=${encodeURIComponent(String(since))}&timeout=${opts.longPollMs ?? 25_000}`,
          { signal: poll.signal },
          fetchImpl,
        );
        for (const r of answer.results) {
          const p = toPresence(r.doc);
          if (p) reports.set(p.user, p);
          else reports.delete(r.id);
        }
        since = answer.last_seq;
        emit();
      } catch (err) {
        if (stopped) return;
        if (!isAbort(err)) await new Promise((r) => setTimeout(r, 5000));
      }
    }
  };

  const connSub = opts.connected$.subscribe((c) => {
    const was = connected;
    connected = c;
    if (!c) poll?.abort();
    emit();
    if (c && !was) send();
  });
  const heartbeat = setInterval(send, PRESENCE_HEARTBEAT_MS);
  const expiry = setInterval(emit, 10_000);
  const following = follow();

  return {
    reports$,
    report: (ticketNumber, editing) => {
      if (mine.ticketNumber === ticketNumber && mine.editing === editing) return;
      mine = { user, ticketNumber, editing };
      send();
    },
    stop: async () => {
      clearInterval(heartbeat);
      clearInterval(expiry);
      mine = { user, ticketNumber: null, editing: false };
      send();
      await sending;
      stopped = true;
      connSub.unsubscribe();
      poll?.abort();
      await following;
    },
  };
}
