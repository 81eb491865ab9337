/**
 * Credentials kept with the OS keychain through Electron's safeStorage. The whole record (account
 * and secret) is encrypted before it touches the disk; when the OS offers no real encryption —
 * safeStorage unavailable, or Linux's `basic_text` fallback, which uses a hard-coded key — the
 * store refuses to save rather than write something readable.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import type { Logger } from '../log';

/** The parts of safeStorage the store uses. */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/** A stored sign-in. */
export type Credentials = { readonly account: string; readonly secret: string };

/** Outcome of a save. */
export type SaveResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const recordSchema = z.object({
  account: z.string().min(1).max(200),
  secret: z.string().max(4096),
});
const fileSchema = z.object({ version: z.literal(1), data: z.string().max(20_000) });

/** The credentials file in a user-data directory. */
export function credentialsPath(userDataDir: string): string {
  return join(userDataDir, 'credentials.bin.json');
}

/** Whether this machine can encrypt; the reason when it cannot. */
export function encryptionCheck(safe: SafeStorageLike, platform: NodeJS.Platform): SaveResult {
  if (!safe.isEncryptionAvailable())
    return { ok: false, reason: 'the OS keychain is not available, so nothing is stored' };
  if (platform === 'linux' && safe.getSelectedStorageBackend() === 'basic_text')
    return {
      ok: false,
      reason: 'no keyring (GNOME Keyring or KWallet) is running, so nothing is stored',
    };
  return { ok: true };
}

/** The credential store. */
export type CredentialStore = {
  readonly save: (c: Credentials) => SaveResult;
  readonly load: () => Credentials | undefined;
  readonly clear: () => void;
};

/** Opens the store at `path`. */
export function createCredentialStore(
  path: string,
  safe: SafeStorageLike,
  platform: NodeJS.Platform,
  log: Logger,
): CredentialStore {
  return {
    save: (c) => {
      const valid = recordSchema.safeParse(c);
      if (!valid.success) return { ok: false, reason: 'invalid credentials' };
      const check = encryptionCheck(safe, platform);
      if (!check.ok) {
        log.warn(`credentials: not saved: ${check.reason}`);
        return check;
      }
      const data = safe.encryptString(JSON.stringify(valid.data)).toString('base64');
      const tmp = `${path}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(tmp, JSON.stringify({ version: 1, data }), { mode: 0o600 });
        renameSync(tmp, path);
        return { ok: true };
      } catch (err) {
        log.error(`credentials: could not write: ${String(err)}`);
        return { ok: false, reason: 'could not write the credentials file' };
      }
    },
    load: () => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return undefined;
      }
      if (!safe.isEncryptionAvailable()) return undefined;
      try {
        const file = fileSchema.parse(JSON.parse(text));
        const plain = safe.decryptString(Buffer.from(file.data, 'base64'));
        return recordSchema.parse(JSON.parse(plain));
      } catch {
        // Another user's keychain, a reinstalled OS, a corrupt file: ask for the password again.
        log.warn('credentials: stored credentials could not be read; they will be asked for again');
        return undefined;
      }
    },
    clear: () => rmSync(path, { force: true }),
  };
}

/**
 * Signs in to the server's `_session` with the remembered account, from the main process: the
 * session cookie lands in the app's cookie store and the renderer gets only the account name.
 * A remembered password the server no longer takes is forgotten.
 */
export async function signInWithSaved(
  store: CredentialStore,
  sessionUrl: string,
  fetchImpl: (url: string, init: RequestInit) => Promise<Response>,
  /** Keeps the session cookie for the app's origin (the renderer's requests go there). */
  keepCookie: (name: string, value: string) => Promise<void> = () => Promise.resolve(),
): Promise<{ account: string } | null> {
  const saved = store.load();
  if (!saved) return null;
  let res: Response;
  try {
    res = await fetchImpl(sessionUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ name: saved.account, password: saved.secret }),
    });
  } catch {
    return null; // Offline: the console opens from the device's replica.
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status === 401) store.clear();
  if (!res.ok) return null;
  const cookie = /(?:^|,\s*)(AuthSession)=([^;,]*)/.exec(res.headers.get('set-cookie') ?? '');
  if (cookie) await keepCookie(cookie[1]!, cookie[2]!).catch(() => undefined);
  return { account: saved.account };
}
