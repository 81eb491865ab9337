import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAppActions } from '../../../electron/main/app-actions';
import { memoryLogger } from '../../../electron/main/log';
import { openSettingsStore, settingsPath } from '../../../electron/main/settings';

function setup() {
  const sent: { channel: string; payload: unknown }[] = [];
  const calls: string[] = [];
  const settings = openSettingsStore(
    settingsPath(mkdtempSync(join(tmpdir(), 'sb-actions-'))),
    memoryLogger(),
  );
  let changed = 0;
  const actions = createAppActions({
    windows: {
      showConsole: () => (calls.push('console'), undefined as never),
      openWallboard: () => (calls.push('wallboard'), undefined as never),
      sendToConsole: (channel, payload) => void sent.push({ channel, payload }),
    },
    settings,
    onPreferencesChanged: () => void changed++,
    quit: () => void calls.push('quit'),
  });
  return { actions, sent, calls, settings, changed: () => changed };
}

describe('app actions', () => {
  it('sync now asks the console to sync, unless working offline', () => {
    const { actions, sent } = setup();
    actions['sync-now']();
    actions['toggle-work-offline']();
    actions['sync-now']();
    expect(sent).toEqual([
      { channel: 'sync:requested', payload: { reason: 'user' } },
      { channel: 'sync:work-offline-changed', payload: { offline: true } },
    ]);
  });

  it('persists toggles and reports each change', () => {
    const { actions, settings, changed } = setup();
    actions['toggle-do-not-disturb']();
    actions.toggleCloseToTray();
    actions.toggleLaunchAtLogin();
    actions.toggleWallboardKiosk();
    actions.setWallboardDisplay(7);
    expect(settings.get()).toMatchObject({
      doNotDisturb: true,
      closeToTray: false,
      launchAtLogin: true,
      wallboard: { kiosk: true, displayId: 7 },
    });
    expect(changed()).toBe(5);
  });

  it('quick create shows the console and opens the create form through a deep link', () => {
    const { actions, sent, calls } = setup();
    actions.quickCreate('incident');
    expect(calls).toEqual(['console']);
    expect(sent).toEqual([
      { channel: 'deeplink:opened', payload: { url: 'switchboard://new/incident' } },
    ]);
  });
});
