/**
 * The only place that touches ipcMain. Every handler checks that the message comes from the app's
 * own page and validates the payload against the shared contract before any code sees it.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  invokeChannels,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
} from '../../../shared/ipc/contract';
import { isAppUrl } from '../security';

/** Handlers for every invoke channel. */
export type MainHandlers = {
  readonly [C in InvokeChannel]: (
    payload: InvokeRequest<C>,
    event: IpcMainInvokeEvent,
  ) => Promise<InvokeResponse<C>> | InvokeResponse<C>;
};

/** Error thrown back to a renderer whose message failed validation. */
export class IpcRejected extends Error {}

/** True if the message was sent by the app's own top-level page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
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
