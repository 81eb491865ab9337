/**
 * The only place that touches ipcMain. Every handler checks that the message comes from the app's
 * own page and validates the payload against the shared contract before any code sees it.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import {
  invokeChannels,
  sendChannels,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type SendChannel,
  type SendPayload,
} from '../../../shared/ipc/contract';
import type { Logger } from '../log';
import { isAppUrl } from '../security';

/** Handlers for every invoke channel. */
export type MainHandlers = {
  readonly [C in InvokeChannel]: (
    payload: InvokeRequest<C>,
    event: IpcMainInvokeEvent,
  ) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

/** Handlers for every one-way channel. */
export type SendHandlers = {
  readonly [C in SendChannel]: (payload: SendPayload<C>, event: IpcMainEvent) => void;
};

/** Error thrown back to a renderer whose message failed validation. */
export class IpcRejected extends Error {}

/** True if the message was sent by the app's own top-level page. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent | IpcMainEvent, 'senderFrame'>,
): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

/** Registers `handlers` on `ipcMain`, validated both ways. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, handlers: MainHandlers): void {
  for (const channel of Object.keys(invokeChannels) as InvokeChannel[]) {
    const schema = invokeChannels[channel];
    const handler = handlers[channel] as (p: unknown, e: IpcMainInvokeEvent) => unknown;
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) throw new IpcRejected(`${channel}: sender is not the app`);
      const parsed = schema.request.safeParse(payload);
      if (!parsed.success)
        throw new IpcRejected(`${channel}: invalid payload: ${parsed.error.message}`);
      const result = await handler(parsed.data, event);
      return schema.response.parse(result);
    });
  }
}

/**
 * Registers `handlers` for the one-way channels. There is no reply to carry an error, so a
 * foreign sender or a bad payload is logged and dropped before any handler sees it.
 */
export function registerSendHandlers(
  ipcMain: Pick<IpcMain, 'on'>,
  handlers: SendHandlers,
  log: Logger,
): void {
  for (const channel of Object.keys(sendChannels) as SendChannel[]) {
    const schema = sendChannels[channel];
    const handler = handlers[channel] as (p: unknown, e: IpcMainEvent) => void;
    ipcMain.on(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        log.warn(`${channel}: dropped a message from a foreign sender`);
        return;
      }
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        log.warn(`${channel}: dropped an invalid payload: ${parsed.error.issues.length} issues`);
        return;
      }
      try {
        handler(parsed.data, event);
      } catch (err) {
        log.error(`${channel}: handler failed: ${String(err)}`);
      }
    });
  }
}
