/**
 * The one map of every message between the Electron main process and a renderer. Preload and
 * main build their typed wrappers from it; both sides validate payloads with these schemas,
 * because neither trusts the other's process.
 */
import { z } from 'zod';
import { parseTicketNumber } from '../domain/numbering';
import { DEEP_LINK_MAX_LENGTH, isCanonicalDeepLink } from './deep-link';

/** A ticket number in its canonical (upper-case) spelling. */
export const ticketNumberSchema = z
  .string()
  .max(40)
  .refine((s) => {
    const r = parseTicketNumber(s);
    return r.ok && r.number === s;
  }, 'not a ticket number');

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

const count = z.number().int().nonnegative().max(10_000_000);

/** Counts for the tray menu, tooltip and badge, computed by the renderer from the local replica. */
export const trayCountsSchema = z.object({
  /** Open tickets assigned to me. */
  myOpen: count,
  /** Tickets in my groups with no assignee. */
  unassignedInMyGroups: count,
  /**
   * My open tickets in the queue's Breaching soon: a running (not paused) clock at or past its
   * at-risk warning (75% by default), breached included.
   */
  breachingSoon: count,
});

const eventTicket = { ticketNumber: ticketNumberSchema, title: z.string().max(200) };
const who = z.string().min(1).max(120);
const slaTarget = z.enum(['response', 'resolution']);
/** The clock in the SLA formatter's words (shared/domain/sla-format.ts), when the renderer sent it. */
const slaText = z.string().max(200).optional();

/** Something that happened to a ticket that the agent may need to hear about. */
export const deskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assigned-to-me'), ...eventTicket }),
  z.object({ type: z.literal('assigned-to-group'), group: who, ...eventTicket }),
  z.object({ type: z.literal('requester-replied'), from: who, ...eventTicket }),
  z.object({ type: z.literal('mentioned'), by: who, ...eventTicket }),
  z.object({ type: z.literal('sla-warning'), target: slaTarget, sla: slaText, ...eventTicket }),
  z.object({ type: z.literal('sla-breached'), target: slaTarget, sla: slaText, ...eventTicket }),
]);

/** Most events in one report; the renderer splits bigger batches. */
export const MAX_EVENTS_PER_REPORT = 5000;

/** A sign-in remembered on this computer (encrypted by the OS keychain in main). */
export const credentialsSchema = z.object({
  account: z.string().min(1).max(200),
  secret: z.string().min(1).max(4096),
});

/** Request/response channels: renderer invokes, main answers. */
export const invokeChannels = {
  'app:get-info': { request: z.void(), response: appInfoSchema },
  'config:get-client': { request: z.void(), response: clientConfigSchema },
  'notifications:show': { request: notificationSchema, response: z.void() },
  'sync:report-status': { request: syncStatusSchema, response: z.void() },
  /** Remember a sign-in; refused (with the reason) where the OS offers no real encryption. */
  'credentials:save': {
    request: credentialsSchema,
    response: z.object({ ok: z.boolean(), reason: z.string().max(300).optional() }),
  },
  /**
   * Sign in with the remembered account: the main process sends the saved password to the
   * server itself and answers only with the account name (the password never reaches here).
   */
  'credentials:sign-in': {
    request: z.void(),
    response: z.object({ account: z.string().min(1).max(200) }).nullable(),
  },
  'credentials:clear': { request: z.void(), response: z.void() },
} as const;

/**
 * One-way messages from a renderer to main (fire and forget). Desktop only: the web shell has no
 * tray, badge, OS notifications or windows, so it need not implement them (see `DeskApi.send`).
 */
export const sendChannels = {
  'tray:report-counts': trayCountsSchema,
  'notifications:report-events': z.array(deskEventSchema).min(1).max(MAX_EVENTS_PER_REPORT),
  'windows:open-ticket': z.object({ ticketNumber: ticketNumberSchema }),
  'windows:open-wallboard': z.object({}).strict(),
} as const;

/** Events pushed from main to renderers (past tense). */
export const eventChannels = {
  'notifications:clicked': z.object({ ticketNumber: z.string().max(40) }),
  /** Sync now: from the tray or menu, or because the machine woke up or was unlocked. */
  'sync:requested': z.object({ reason: z.enum(['user', 'resume', 'unlock-screen']) }),
  /** The machine is about to sleep or shut down: push pending writes now. */
  'sync:flush-requested': z.object({ reason: z.enum(['suspend', 'shutdown']) }),
  /** The tray's "Work offline" toggle; sent on every change and when the console page loads. */
  'sync:work-offline-changed': z.object({ offline: z.boolean() }),
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
/** Name of a one-way renderer-to-main channel. */
export type SendChannel = keyof typeof sendChannels;
/** Payload type of a one-way channel. */
export type SendPayload<C extends SendChannel> = z.infer<(typeof sendChannels)[C]>;
/** Tray counts. */
export type TrayCounts = z.infer<typeof trayCountsSchema>;
/** One event for notifications. */
export type DeskEvent = z.infer<typeof deskEventSchema>;
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
  /** One-way report to main. Absent in the web shell, so callers write `desk.send?.(…)`. */
  readonly send?: <C extends SendChannel>(channel: C, payload: SendPayload<C>) => void;
};

/** True if `name` is a known invoke channel (for runtime allow-lists). */
export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invokeChannels, name);
}

/** True if `name` is a known one-way channel. */
export function isSendChannel(name: unknown): name is SendChannel {
  return typeof name === 'string' && Object.hasOwn(sendChannels, name);
}

/** True if `name` is a known event channel. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(eventChannels, name);
}
