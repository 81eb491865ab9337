/**
 * The web shell's implementation of the `window.desk` contract, for when the renderer runs in a
 * plain browser tab instead of Electron: Web Notifications instead of native ones, configuration
 * from the web host, and the same payload validation as the Electron preload.
 */
import {
  eventChannels,
  invokeChannels,
  type DeskApi,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeResponse,
} from '../../../shared/ipc/contract';

type Listener = (payload: unknown) => void;

/** Where the last client configuration from the web host is kept. */
const CONFIG_KEY = 'switchboard:client-config';

/** Creates the browser implementation of the desk API. */
export function createBrowserDesk(): DeskApi {
  const listeners = new Map<EventChannel, Set<Listener>>();

  const emit = <C extends EventChannel>(channel: C, payload: EventPayload<C>): void => {
    const parsed = eventChannels[channel].parse(payload);
    listeners.get(channel)?.forEach((l) => l(parsed));
  };

  const handlers: { [C in InvokeChannel]: (req: unknown) => Promise<InvokeResponse<C>> } = {
    'app:get-info': () =>
      Promise.resolve({
        name: 'Switchboard',
        version: __APP_VERSION__,
        platform: navigator.platform,
        shell: 'web',
      }),
    'config:get-client': async () => {
      // The last configuration the web host gave is kept, so the console starts from the
      // replica when the host is unreachable (the offline app shell serves the page itself).
      const res = await fetch('./switchboard-config.json', { cache: 'no-store' }).catch(() => null);
      const kept = localStorage.getItem(CONFIG_KEY);
      if ((!res || !res.ok) && kept === null)
        throw new Error(
          `Could not load the client configuration (${res ? `HTTP ${res.status}` : 'the web host is unreachable'}).`,
        );
      const raw = (res && res.ok ? await res.json() : JSON.parse(kept ?? '{}')) as {
        couchUrl: string;
        dbPrefix: string;
      };
      if (res && res.ok) localStorage.setItem(CONFIG_KEY, JSON.stringify(raw));
      // A relative couchUrl (the web host's same-origin proxy) becomes absolute here.
      return { couchUrl: new URL(raw.couchUrl, location.href).href, dbPrefix: raw.dbPrefix };
    },
    'notifications:show': async (req) => {
      const n = invokeChannels['notifications:show'].request.parse(req);
      if (!('Notification' in window)) return;
      if (Notification.permission === 'default') await Notification.requestPermission();
      if (Notification.permission !== 'granted') return;
      const note = new Notification(n.title, { body: n.body });
      if (n.ticketNumber !== undefined) {
        const ticketNumber = n.ticketNumber;
        note.onclick = () => emit('notifications:clicked', { ticketNumber });
      }
    },
    'sync:report-status': (req) => {
      invokeChannels['sync:report-status'].request.parse(req);
      return Promise.resolve();
    },
    // A browser tab keeps no passwords of its own: its password manager does that.
    'credentials:save': () =>
      Promise.resolve({
        ok: false,
        reason: 'Remembering a sign-in is a desktop app feature; use the browser password manager.',
      }),
    'credentials:sign-in': () => Promise.resolve(null),
    'credentials:clear': () => Promise.resolve(),
  };

  return {
    invoke: (async (channel: InvokeChannel, ...args: unknown[]) => {
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      const response = await handler(args[0]);
      return invokeChannels[channel].response.parse(response);
    }) as DeskApi['invoke'],
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set<Listener>();
      listeners.set(channel, set);
      const l = listener as Listener;
      set.add(l);
      return () => set.delete(l);
    },
  };
}
