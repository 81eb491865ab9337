import { useEffect, useMemo, useState } from 'react';
import type { SyncController, SyncView } from '../data/sync';
import { useObservable } from './useObservable';

const INITIAL: SyncView = {
  status: { state: 'connecting' },
  pending: 0,
  quarantined: 0,
  rejected: 0,
  sessionExpired: false,
};
/** How long another window's report counts. */
const FRESH_MS = 20_000;

type Shared = { readonly view: SyncView; readonly at: number };

const lastKey = (replicaKey: string) => `switchboard.lastInSync:${replicaKey}`;

/** When this replica was last seen in sync with the server (any window), for "data as of". */
export function lastInSyncAt(replicaKey: string): number | null {
  const v = Number(localStorage.getItem(lastKey(replicaKey)));
  return Number.isFinite(v) && v > 0 ? v : null;
}

function read(key: string): Shared | null {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? 'null') as Shared | null;
    return v && typeof v.at === 'number' && typeof v.view === 'object' ? v : null;
  } catch {
    return null;
  }
}

/**
 * The sync status as every window of this replica should show it. Only one window replicates
 * (RxDB elects a leader per database); it publishes its status in localStorage every few
 * seconds, and the other windows (a pop-out ticket, the wallboard) show that instead of their
 * own "connecting" while a fresh report exists.
 */
export function useSharedSyncView(sync: SyncController, replicaKey: string): SyncView {
  const own = useObservable(
    useMemo(() => sync.view$, [sync]),
    INITIAL,
  );
  const key = `switchboard.sync:${replicaKey}`;
  const [other, setOther] = useState<Shared | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const leading = own.status.state !== 'connecting';
  useEffect(() => {
    if (!leading) return undefined;
    const publish = () => {
      const at = Date.now();
      localStorage.setItem(key, JSON.stringify({ view: own, at }));
      if (own.status.state === 'in-sync') localStorage.setItem(lastKey(replicaKey), String(at));
    };
    publish();
    const t = setInterval(publish, 5000);
    // A report lasts as long as the window that replicates: when it goes (closed or reloaded),
    // so does its report. Otherwise a reloaded window showed its own last "in sync" from before
    // the reload while it was still connecting (or offline).
    const withdraw = () => localStorage.removeItem(key);
    window.addEventListener('pagehide', withdraw);
    return () => {
      clearInterval(t);
      window.removeEventListener('pagehide', withdraw);
    };
  }, [leading, own, key, replicaKey]);
  useEffect(() => {
    if (leading) return undefined;
    const refresh = () => {
      setOther(read(key));
      setNow(Date.now());
    };
    refresh();
    const t = setInterval(refresh, 2000);
    window.addEventListener('storage', refresh);
    return () => {
      clearInterval(t);
      window.removeEventListener('storage', refresh);
    };
  }, [leading, key]);
  return !leading && other && now - other.at < FRESH_MS ? other.view : own;
}
