/**
 * Native notifications: shows what `groupNotifications` makes of each batch of events, and single
 * notifications the renderer asks for, both muted by Do Not Disturb. Clicking one brings the
 * console forward on its ticket. Electron's Notification is passed in, so this runs in Node tests.
 */
import type { Notification, NotificationConstructorOptions } from 'electron';
import type { DeskEvent, DeskNotification } from '../../../shared/ipc/contract';
import type { Logger } from '../log';
import { groupNotifications, type NotificationSpec } from './notification-grouping';

/** What the notifier needs. */
export type NotifierDeps = {
  readonly createNotification: (options: NotificationConstructorOptions) => Notification;
  readonly isSupported: () => boolean;
  readonly doNotDisturb: () => boolean;
  /** A notification was clicked; `ticketNumber` is absent for grouped ones. */
  readonly onClick: (ticketNumber: string | undefined) => void;
  readonly log: Logger;
};

/** The running notifier. */
export type Notifier = {
  /** A batch of events from the renderer (one sync, one SLA tick). Returns how many were shown. */
  readonly report: (events: readonly DeskEvent[]) => number;
  /** One notification the renderer composed itself. */
  readonly show: (n: DeskNotification) => boolean;
};

/** Creates the notifier. */
export function createNotifier(deps: NotifierDeps): Notifier {
  // Electron drops a notification's click handler if the object is garbage-collected while shown.
  const live = new Set<Notification>();
  const display = (spec: NotificationSpec): void => {
    const n = deps.createNotification({
      title: spec.title,
      body: spec.body,
      urgency: spec.urgency,
      timeoutType: spec.urgency === 'critical' ? 'never' : 'default',
      silent: spec.urgency === 'low',
    });
    live.add(n);
    const forget = (): void => void live.delete(n);
    n.on('click', () => {
      forget();
      deps.onClick(spec.ticketNumber);
    });
    n.on('close', forget);
    n.on('failed', (_e, error) => {
      forget();
      deps.log.warn(`notification failed: ${error}`);
    });
    n.show();
  };
  const usable = (): boolean => {
    if (deps.isSupported()) return true;
    deps.log.info('notifications are not supported on this system');
    return false;
  };
  return {
    report: (events) => {
      const { notifications, suppressed } = groupNotifications(events, {
        doNotDisturb: deps.doNotDisturb(),
      });
      if (suppressed > 0) deps.log.info(`do not disturb: ${suppressed} events not notified`);
      if (notifications.length === 0 || !usable()) return 0;
      notifications.forEach(display);
      return notifications.length;
    },
    show: (n) => {
      if (deps.doNotDisturb() || !usable()) return false;
      display({
        title: n.title,
        body: n.body,
        urgency: 'normal',
        ...(n.ticketNumber === undefined ? {} : { ticketNumber: n.ticketNumber }),
      });
      return true;
    },
  };
}
