/**
 * The desktop app's remembered sign-in, made by the main process against the real server: the
 * renderer's channel answers with the account only, the session cookie is kept for the app's
 * origin, and a password the server no longer takes is forgotten.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestDesk, PREFIX, type TestDesk } from '../../support/desk-server';
import { memoryLogger } from '../../../electron/main/log';
import {
  createCredentialStore,
  credentialsPath,
  signInWithSaved,
  type SafeStorageLike,
} from '../../../electron/main/os/credentials';
import { invokeChannels } from '../../../shared/ipc/contract';

let desk: TestDesk;
beforeAll(async () => {
  desk = await startTestDesk({});
});
afterAll(async () => {
  await desk?.stop();
});

const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
const safe: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s: string) => xor(Buffer.from(s, 'utf8')),
  decryptString: (b: Buffer) => xor(b).toString('utf8'),
};
const store = () =>
  createCredentialStore(
    credentialsPath(mkdtempSync(join(tmpdir(), 'sb-cred-'))),
    safe,
    'linux',
    memoryLogger(),
  );

describe('remembered sign-in', () => {
  it('signs in from main and hands the renderer the account, never the password', async () => {
    const s = store();
    s.save({ account: 'alice', secret: 'switchboard' });
    const cookies: [string, string][] = [];
    const r = await signInWithSaved(s, `${desk.url}/_session`, fetch, (n, v) => {
      cookies.push([n, v]);
      return Promise.resolve();
    });
    expect(r).toEqual({ account: 'alice' });
    expect(JSON.stringify(r)).not.toContain('switchboard');
    // What the channel lets through has no room for a secret.
    const parsed = invokeChannels['credentials:sign-in'].response.parse({
      account: 'alice',
      secret: 'switchboard',
    });
    expect(parsed).toEqual({ account: 'alice' });
    expect(cookies[0]?.[0]).toBe('AuthSession');
    const res = await fetch(`${desk.url}/${PREFIX}tickets`, {
      headers: { cookie: `AuthSession=${cookies[0]![1]}` },
    });
    expect(res.status).toBe(200);
  });

  it('forgets a remembered password the server refuses', async () => {
    const s = store();
    s.save({ account: 'ben', secret: 'not-his-password' });
    expect(await signInWithSaved(s, `${desk.url}/_session`, fetch)).toBeNull();
    expect(s.load()).toBeUndefined();
  });
});
