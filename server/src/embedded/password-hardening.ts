/**
 * Staff passwords at CouchDB 3's strength on an engine that cannot hash them so
 * (docs/security.md, "Accounts"). PouchDB Server 4.2 stores PBKDF2-SHA1 at 10 iterations,
 * computed in pure JavaScript in its only thread. So the gateway never gives it a staff member's
 * password: it gives it PBKDF2-SHA256 (ITERATIONS rounds, salted per user with a secret kept in
 * the data directory) of the password, and the engine stores its weak hash of that 256-bit value.
 * Guessing a password from the stored hash costs a PBKDF2-SHA256 at ITERATIONS per guess. The
 * derivation runs in Node's thread pool, never in the engine or the gateway's event loop.
 * Accounts made before this sign in once with the plain password, and are then upgraded.
 * The server admin (from the environment) is not derived: its hash lives in the engine's config.
 */
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** PBKDF2-SHA256 iterations (CouchDB 3.x ships tens to hundreds of thousands). */
export const ITERATIONS = 100_000;

export type PasswordHardening = {
  /** The value the engine gets as `name`'s password. */
  readonly derive: (name: string, password: string) => Promise<string>;
};

/** Reads (or creates, mode 0600) the secret in `dataDir` and returns the derivation. */
export function openPasswordHardening(dataDir: string): PasswordHardening {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, 'gateway-secret');
  if (!existsSync(path))
    writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  const secret = readFileSync(path, 'utf8').trim();
  return {
    derive: (name, password) =>
      new Promise((resolve, reject) => {
        const salt = createHash('sha256').update(`${secret}:${name}`).digest();
        pbkdf2(password, salt, ITERATIONS, 32, 'sha256', (err, key) =>
          err ? reject(err) : resolve(key.toString('hex')),
        );
      }),
  };
}
