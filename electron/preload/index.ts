/**
 * The preload exposes exactly one object, `window.desk`, built from the shared channel map.
 * Channels outside the map are refused and payloads are validated in both directions.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  eventChannels,
  invokeChannels,
  isEventChannel,
  isInvokeChannel,
  isSendChannel,
  sendChannels,
  type DeskApi,
} from '../../shared/ipc/contract';

const desk: DeskApi = {
  invoke: (async (channel: unknown, payload?: unknown) => {
    if (!isInvokeChannel(channel)) throw new Error('Unknown channel');
    const request = invokeChannels[channel].request.parse(payload);
    const response: unknown = await ipcRenderer.invoke(channel, request);
    return invokeChannels[channel].response.parse(response);
  }) as DeskApi['invoke'],
  on: (channel, listener) => {
    if (!isEventChannel(channel)) throw new Error('Unknown channel');
    const wrapped = (_event: IpcRendererEvent, payload: unknown): void => {
      const parsed = eventChannels[channel].safeParse(payload);
      if (parsed.success) (listener as (p: unknown) => void)(parsed.data);
    };
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  send: (channel, payload) => {
    if (!isSendChannel(channel)) throw new Error('Unknown channel');
    ipcRenderer.send(channel, sendChannels[channel].parse(payload));
  },
};

contextBridge.exposeInMainWorld('desk', desk);
