import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { registerIpc, type MainHandlers } from '../../../electron/main/ipc/register';

type Handler = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

// A fake of the part of `electron`'s ipcMain that the module touches.
function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handle: (channel: string, h: Handler) => void handlers.set(channel, h),
    call: (channel: string, url: string, payload?: unknown, parent: unknown = null) => {
      const h = handlers.get(channel);
      if (!h) throw new Error(`no handler for ${channel}`);
      const event = { senderFrame: { url, parent } } as unknown as IpcMainInvokeEvent;
      return h(event, payload);
    },
  };
}

const shown: unknown[] = [];
const handlers: MainHandlers = {
  'app:get-info': () => ({
    name: 'Switchboard',
    version: '1.0.0',
    platform: 'linux',
    shell: 'electron',
  }),
  'config:get-client': () => ({ couchUrl: 'app://switchboard/couch/', dbPrefix: 'sb_' }),
  'notifications:show': (n) => void shown.push(n),
  'sync:report-status': () => undefined,
  'credentials:save': () => ({ ok: true }),
  'credentials:sign-in': () => null,
  'credentials:clear': () => undefined,
};

describe('IPC registration', () => {
  const ipc = fakeIpcMain();
  registerIpc(ipc, handlers);

  it('answers the app page with validated responses', async () => {
    await expect(ipc.call('app:get-info', 'app://switchboard/index.html')).resolves.toMatchObject({
      shell: 'electron',
    });
    await ipc.call('notifications:show', 'app://switchboard/index.html', {
      title: 'Assigned',
      body: 'INC-1',
    });
    expect(shown).toHaveLength(1);
  });

  it('rejects foreign senders: other origins, subframes', async () => {
    await expect(ipc.call('app:get-info', 'https://evil.example/')).rejects.toThrow(/sender/);
    await expect(ipc.call('app:get-info', 'file:///etc/passwd')).rejects.toThrow(/sender/);
    await expect(
      ipc.call('app:get-info', 'app://switchboard/x', undefined, { url: 'app://switchboard/' }),
    ).rejects.toThrow(/sender/);
  });

  it('rejects bad payloads before any handler runs', async () => {
    await expect(
      ipc.call('notifications:show', 'app://switchboard/', { title: '' }),
    ).rejects.toThrow(/invalid payload/);
    await expect(
      ipc.call('notifications:show', 'app://switchboard/', { title: 'x'.repeat(500), body: '' }),
    ).rejects.toThrow(/invalid payload/);
    await expect(
      ipc.call('sync:report-status', 'app://switchboard/', { state: 'hacked' }),
    ).rejects.toThrow(/invalid payload/);
    expect(shown).toHaveLength(1);
  });
});
