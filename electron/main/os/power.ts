/**
 * Power events → sync: waking up or unlocking asks the console to sync now (the network may have
 * changed while asleep); suspending or shutting down asks it to push pending writes first.
 */
import type { PowerMonitor } from 'electron';
import type { EventPayload } from '../../../shared/ipc/contract';

/** Resume and unlock usually fire together; one sync request per this interval is enough. */
export const SYNC_REQUEST_GAP_MS = 5_000;

/** Where power events go. */
export type PowerSink = {
  readonly requestSync: (payload: EventPayload<'sync:requested'>) => void;
  readonly requestFlush: (payload: EventPayload<'sync:flush-requested'>) => void;
};

/** Subscribes to the power monitor. */
export function watchPower(
  power: Pick<PowerMonitor, 'on'>,
  sink: PowerSink,
  now: () => number = Date.now,
): void {
  let lastSync = Number.NEGATIVE_INFINITY;
  const sync = (reason: 'resume' | 'unlock-screen'): void => {
    const t = now();
    if (t - lastSync < SYNC_REQUEST_GAP_MS) return;
    lastSync = t;
    sink.requestSync({ reason });
  };
  power.on('resume', () => sync('resume'));
  power.on('unlock-screen', () => sync('unlock-screen'));
  power.on('suspend', () => sink.requestFlush({ reason: 'suspend' }));
  power.on('shutdown', () => sink.requestFlush({ reason: 'shutdown' }));
}
