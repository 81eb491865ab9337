import type { IpcMainEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { registerSendHandlers, type SendHandlers } from '../../../electron/main/ipc/register';
import { memoryLogger } from '../../../electron/main/log';
import { sendChannels } from '../../../shared/ipc/contract';

type Listener = (event: IpcMainEvent, payload: unknown) => void;

function setup() {
  const listeners = new Map<string, Listener>();
  const got: { channel: string; payload: unknown }[] = [];
  const record =
    (channel: string) =>
    (payload: unknown): void =>
      void got.push({ channel, payload });
  const handlers: SendHandlers = {
    'tray:report-counts': record('tray:report-counts'),
    'notifications:report-events': record('notifications:report-events'),
    'windows:open-ticket': record('windows:open-ticket'),
    'windows:open-wallboard': () => {
      throw new Error('boom');
    },
  };
  const log = memoryLogger();
  registerSendHandlers(
    { on: (c: string, l: Listener) => void listeners.set(c, l) } as never,
    handlers,
    log,
  );
  const send = (
    channel: string,
    payload: unknown,
    url = 'app://switchboard/index.html',
    parent: unknown = null,
  ) =>
    listeners.get(channel)!({ senderFrame: { url, parent } } as unknown as IpcMainEvent, payload);
  return { listeners, got, log, send };
}

describe('one-way IPC', () => {
  it('registers every channel of the contract', () => {
    expect([...setup().listeners.keys()].sort()).toEqual(Object.keys(sendChannels).sort());
  });

  it('delivers valid payloads from the app page', () => {
    const { got, send } = setup();
    send('tray:report-counts', { myOpen: 1, unassignedInMyGroups: 2, breachingSoon: 0 });
    send('windows:open-ticket', { ticketNumber: 'REQ-1B2C3D4E5F6G' });
    expect(got.map((g) => g.channel)).toEqual(['tray:report-counts', 'windows:open-ticket']);
  });

  it('drops foreign senders and bad payloads with a log line, and survives a failing handler', () => {
    const { got, log, send } = setup();
    const ok = { myOpen: 1, unassignedInMyGroups: 2, breachingSoon: 0 };
    send('tray:report-counts', ok, 'https://evil.example/');
    send('tray:report-counts', ok, 'app://switchboard/', { url: 'app://switchboard/' });
    send('tray:report-counts', { ...ok, myOpen: -1 });
    send('tray:report-counts', { ...ok, myOpen: 1.5 });
    send('windows:open-ticket', { ticketNumber: 'inc-1b2c3d4e5f6g' });
    send('windows:open-ticket', { ticketNumber: '../../x' });
    send('notifications:report-events', []);
    send('notifications:report-events', [
      { type: 'assigned-to-me', ticketNumber: 'INC-1B2C3D4E5F6G' },
    ]);
    send('windows:open-wallboard', { extra: 1 });
    expect(got).toEqual([]);
    expect(log.lines.filter((l) => l.startsWith('warn:'))).toHaveLength(9);
    send('windows:open-wallboard', {});
    expect(log.lines.at(-1)).toMatch(/^error: windows:open-wallboard: handler failed/);
  });
});
