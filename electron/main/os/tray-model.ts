/**
 * What the tray shows, as a pure function of the sync status and the counts the renderer reports:
 * icon state, tooltip, badge number and the menu (as data; tray.ts turns it into an Electron Menu).
 */
import type { SyncStatus, TrayCounts } from '../../../shared/ipc/contract';
import { assertNever } from '../../../shared/domain/assert-never';

/** The four tray icons. */
export type TrayIconState = 'in-sync' | 'syncing' | 'offline' | 'error';

/** Things a tray menu item can do. */
export type TrayAction =
  | 'open-console'
  | 'open-wallboard'
  | 'sync-now'
  | 'toggle-work-offline'
  | 'toggle-do-not-disturb'
  | 'quit';

/** One tray menu item, as data. */
export type TrayMenuItem =
  | { readonly type: 'separator' }
  | {
      readonly type: 'normal';
      readonly label: string;
      readonly action?: TrayAction;
      readonly enabled: boolean;
    }
  | {
      readonly type: 'checkbox';
      readonly label: string;
      readonly action: TrayAction;
      readonly checked: boolean;
    };

/** Everything the tray shows. */
export type TrayView = {
  readonly icon: TrayIconState;
  readonly tooltip: string;
  /** 0 clears the badge. */
  readonly badge: number;
  readonly menu: readonly TrayMenuItem[];
};

/** What the tray is computed from. */
export type TrayInput = {
  /** Undefined until the renderer first reports. */
  readonly sync: SyncStatus | undefined;
  readonly counts: TrayCounts | undefined;
  readonly workOffline: boolean;
  readonly doNotDisturb: boolean;
};

/** Windows truncates tray tooltips at 127 characters. */
export const TOOLTIP_MAX = 127;

/** The icon for a sync status; working offline always shows offline. */
export function trayIconState(sync: SyncStatus | undefined, workOffline: boolean): TrayIconState {
  if (workOffline || sync === undefined) return 'offline';
  switch (sync.state) {
    case 'in-sync':
      return 'in-sync';
    case 'syncing':
    case 'connecting':
      return 'syncing';
    case 'offline':
      return 'offline';
    case 'error':
      return 'error';
    default:
      return assertNever(sync);
  }
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** One line describing the sync status. */
export function syncLabel(sync: SyncStatus | undefined, workOffline: boolean): string {
  if (workOffline) return 'Working offline';
  if (sync === undefined) return 'Starting…';
  switch (sync.state) {
    case 'in-sync':
      return 'In sync';
    case 'connecting':
      return 'Connecting…';
    case 'syncing':
      return sync.pending > 0
        ? `Syncing (${plural(sync.pending, 'change', 'changes')} to send)`
        : 'Syncing…';
    case 'offline':
      return 'Offline';
    case 'error': {
      const reason = sync.reason.replace(/\s+/g, ' ').trim();
      return `Sync error${reason ? `: ${reason.length > 60 ? `${reason.slice(0, 59)}…` : reason}` : ''}`;
    }
    default:
      return assertNever(sync);
  }
}

/**
 * The badge: what needs someone to act now — tickets waiting for an assignee in my groups plus
 * my tickets about to breach. "My open" is a workload, not an alert, so it is not in the badge.
 */
export function badgeCount(counts: TrayCounts | undefined): number {
  return counts === undefined ? 0 : counts.unassignedInMyGroups + counts.breachingSoon;
}

/** The whole tray view. */
export function trayView(input: TrayInput): TrayView {
  const status = syncLabel(input.sync, input.workOffline);
  const c = input.counts;
  const countItems: TrayMenuItem[] =
    c === undefined
      ? []
      : [
          { type: 'normal', label: `My open: ${c.myOpen}`, action: 'open-console', enabled: true },
          {
            type: 'normal',
            label: `Unassigned in my groups: ${c.unassignedInMyGroups}`,
            action: 'open-console',
            enabled: true,
          },
          {
            type: 'normal',
            label: `Breaching soon: ${c.breachingSoon}`,
            action: 'open-console',
            enabled: true,
          },
          { type: 'separator' },
        ];
  const summary =
    c === undefined
      ? ''
      : ` · ${c.myOpen} open · ${c.unassignedInMyGroups} unassigned · ${c.breachingSoon} breaching soon`;
  const tooltip = `Switchboard — ${status}${summary}`;
  return {
    icon: trayIconState(input.sync, input.workOffline),
    tooltip: tooltip.length > TOOLTIP_MAX ? `${tooltip.slice(0, TOOLTIP_MAX - 1)}…` : tooltip,
    badge: badgeCount(c),
    menu: [
      { type: 'normal', label: status, enabled: false },
      { type: 'separator' },
      ...countItems,
      { type: 'normal', label: 'Open console', action: 'open-console', enabled: true },
      { type: 'normal', label: 'Open wallboard', action: 'open-wallboard', enabled: true },
      { type: 'separator' },
      { type: 'normal', label: 'Sync now', action: 'sync-now', enabled: !input.workOffline },
      {
        type: 'checkbox',
        label: 'Work offline',
        action: 'toggle-work-offline',
        checked: input.workOffline,
      },
      {
        type: 'checkbox',
        label: 'Do not disturb',
        action: 'toggle-do-not-disturb',
        checked: input.doNotDisturb,
      },
      { type: 'separator' },
      { type: 'normal', label: 'Quit Switchboard', action: 'quit', enabled: true },
    ],
  };
}
