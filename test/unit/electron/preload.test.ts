import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeskApi } from '../../../shared/ipc/contract';

// A fake of the `electron` module as the sandboxed preload sees it.
const exposed = new Map<string, unknown>();
const sent: { channel: string; payload: unknown }[] = [];
const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (channel: string, payload: unknown) => {
      sent.push({ channel, payload });
      if (channel === 'app:get-info')
        return Promise.resolve({
          name: 'Switchboard',
          version: '1',
          platform: 'linux',
          shell: 'electron',
        });
      return Promise.resolve(undefined);
    },
    on: (channel: string, l: (event: unknown, payload: unknown) => void) =>
      listeners.set(channel, l),
    removeListener: (channel: string) => listeners.delete(channel),
    send: (channel: string, payload: unknown) => void sent.push({ channel, payload }),
  },
}));

let desk: DeskApi;
beforeAll(async () => {
  await import('../../../electron/preload/index');
  desk = exposed.get('desk') as DeskApi;
});

describe('preload', () => {
  it('exposes window.desk and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['desk']);
    expect(Object.keys(desk).sort()).toEqual(['invoke', 'on', 'send']);
  });

  it('refuses channels outside the contract and bad payloads before anything reaches main', async () => {
    await expect((desk.invoke as (c: string) => Promise<unknown>)('fs:read-file')).rejects.toThrow(
      /Unknown channel/,
    );
    await expect(desk.invoke('notifications:show', { title: '', body: '' })).rejects.toThrow();
    expect(sent).toEqual([]);
    await expect(desk.invoke('app:get-info')).resolves.toMatchObject({ shell: 'electron' });
  });

  it('delivers only valid event payloads, and on() returns its unsubscribe', () => {
    const got: unknown[] = [];
    const off = desk.on('notifications:clicked', (p) => got.push(p));
    const fire = listeners.get('notifications:clicked')!;
    fire({}, { ticketNumber: 'INC-000000000000' });
    fire({}, { ticketNumber: 42 });
    expect(got).toEqual([{ ticketNumber: 'INC-000000000000' }]);
    off();
    expect(listeners.has('notifications:clicked')).toBe(false);
  });

  it('sends one-way reports only on known channels with valid payloads', () => {
    const send = desk.send!;
    const before = sent.length;
    expect(() => (send as (c: string, p: unknown) => void)('fs:write-file', {})).toThrow(
      /Unknown channel/,
    );
    expect(() =>
      send('tray:report-counts', { myOpen: -1, unassignedInMyGroups: 0, breachingSoon: 0 }),
    ).toThrow();
    expect(sent.length).toBe(before);
    send('tray:report-counts', { myOpen: 1, unassignedInMyGroups: 0, breachingSoon: 0 });
    expect(sent.at(-1)).toEqual({
      channel: 'tray:report-counts',
      payload: { myOpen: 1, unassignedInMyGroups: 0, breachingSoon: 0 },
    });
  });
});
