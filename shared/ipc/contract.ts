/**
 * The one map of every message between the Electron main process and a renderer. Preload and
 * main build their typed wrappers from it; both sides validate payloads with these schemas,
 * because neither trusts the other's process.
 */
import { z } from 'zod';
import { DEEP_LINK_MAX_LENGTH, isCanonicalDeepLink } from './deep-link';

/** Application facts the renderer shows (about box, diagnostics). */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  shell: z.enum(['electron', 'web']),
});

/** Where the renderer finds the CouchDB-compatible server. */
export const clientConfigSchema = z.object({
  /** Base URL ending in `/`; database names are appended to it. */
  couchUrl: z.string().min(1),
  dbPrefix: z.string().regex(/^[a-z][a-z0-9_$()+/-]*$/),
});

/** One desktop notification request. */
export const notificationSchema = z.object({
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  /** Ticket number to open when the notification is clicked. */
  ticketNumber: z.string().max(40).optional(),
});

/** The sync status the renderer reports to main (tray icon, badge). */
export const syncStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('offline') }),
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('syncing'), pending: z.number().int().nonnegative() }),
  z.object({ state: z.literal('in-sync') }),
  z.object({ state: z.literal('error'), reason: z.string().max(500) }),
]);

/** Request/response channels: renderer invokes, main answers. */
export const invokeChannels = {
  'app:get-info': { request: z.void(), response: appInfoSchema },
  'config:get-client': { request: z.void(), response: clientConfigSchema },
  'notifications:show': { request: notificationSchema, response: z.void() },
  'sync:report-status': { request: syncStatusSchema, response: z.void() },
} as const;

/** Events pushed from main to renderers (past tense). */
export const eventChannels = {
  'notifications:clicked': z.object({ ticketNumber: z.string().max(40) }),
  /** A validated deep link, always in its canonical spelling (see deep-link.ts). */
  'deeplink:opened': z.object({
    url: z.string().max(DEEP_LINK_MAX_LENGTH).refine(isCanonicalDeepLink, 'not a deep link'),
  }),
} as const;

/** Name of an invoke channel. */
export type InvokeChannel = keyof typeof invokeChannels;
/** Name of an event channel. */
export type EventChannel = keyof typeof eventChannels;
/** Request payload type of an invoke channel. */
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof invokeChannels)[C]['request']>;
/** Response payload type of an invoke channel. */
export type InvokeResponse<C extends InvokeChannel> = z.infer<
  (typeof invokeChannels)[C]['response']
>;
/** Payload type of an event channel. */
export type EventPayload<C extends EventChannel> = z.infer<(typeof eventChannels)[C]>;
/** Application facts. */
export type AppInfo = z.infer<typeof appInfoSchema>;
/** Client configuration. */
export type ClientConfig = z.infer<typeof clientConfigSchema>;
/** One notification request. */
export type DeskNotification = z.infer<typeof notificationSchema>;
/** Replication status as one value. */
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * The `window.desk` API: the only thing the preload exposes, and what the web shell's browser
 * implementation provides too. `on` returns its own unsubscribe.
 */
export type DeskApi = {
  readonly invoke: <C extends InvokeChannel>(
    channel: C,
    ...args: InvokeRequest<C> extends void ? [] : [InvokeRequest<C>]
  ) => Promise<InvokeResponse<C>>;
  readonly on: <C extends EventChannel>(
    channel: C,
    listener: (payload: EventPayload<C>) => void,
  ) => () => void;
};

/** True if `name` is a known invoke channel (for runtime allow-lists). */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}

/** True if `name` is a known event channel. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name);
}
