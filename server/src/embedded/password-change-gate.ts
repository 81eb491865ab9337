/**
 * The forced password change, enforced by the gateway (docs/mail.md, "New password at next
 * sign-in"). An admin's reset on the Staff page gives the account a temporary password and marks
 * its `_users` document `mustChangePassword: true`. Until the person sets a new password, a
 * session of that account may only read its own session and `_users` document and write that
 * document with a new password: every other request is refused with 403
 * `{"error":"forbidden","reason":"password_change_required","message":…}`. The write that sets a
 * new password (not the temporary one) clears the flag, whatever the body said; a write without a
 * new password is refused, so the flag cannot be cleared without changing the password.
 * On a real CouchDB cluster there is no gateway: only the console enforces the change there.
 */
import { isServerAdmin, type Refusal, type Route, type Who } from './request-policy';

/** A refusal with a sentence for people beside the machine-readable reason. */
export type GateRefusal = Refusal & { readonly message: string };

export const PASSWORD_CHANGE_REQUIRED = 'password_change_required';

export type PasswordChangeGate = {
  /**
   * The refusal for a request by `who` (authenticated by the credentials `key`) while their
   * account must set a new password, or null. Own `_users` document requests are left to
   * `ownWrite` (and to the gateway's own-document rule).
   */
  readonly refusal: (who: Who, route: Route, key: string) => Promise<GateRefusal | null>;
  /**
   * A member's write of their own `_users` document, `current` as stored: the document to
   * forward (the flag cleared when this sets a new password), or the refusal.
   */
  readonly ownWrite: (
    who: Who,
    current: Record<string, unknown> | null,
    next: Record<string, unknown>,
  ) => Promise<{ readonly doc: Record<string, unknown> } | { readonly refusal: GateRefusal }>;
};

export type GateDeps = {
  /** The `_users` document of `name` as the server admin reads it, or null. */
  readonly readUser: (name: string) => Promise<Record<string, unknown> | null>;
  /** True when `name` signs in with `password` now (the temporary password is not a new one). */
  readonly signsIn: (name: string, password: string) => Promise<boolean>;
  /** How long one set of credentials' answer is remembered. */
  readonly cacheMs: number;
};

const refuse = (status: number, error: string, reason: string, message: string): GateRefusal => ({
  kind: 'refuse',
  status,
  error,
  reason,
  message,
});

const required = (message: string): GateRefusal =>
  refuse(403, 'forbidden', PASSWORD_CHANGE_REQUIRED, message);

/** True when a refusal is the gateway's "set a new password first". */
export const isGateRefusal = (r: Refusal): r is GateRefusal => 'message' in r;

export function createPasswordChangeGate(deps: GateDeps): PasswordChangeGate {
  // Keyed by the credentials (cookie and Authorization), not the name: a reset changes the
  // password, so the credentials that read "not flagged" before it no longer authenticate.
  const cache = new Map<string, { name: string; flagged: boolean; expires: number }>();

  const flagged = async (key: string, name: string): Promise<boolean> => {
    const hit = cache.get(key);
    if (hit && hit.name === name && hit.expires > Date.now()) return hit.flagged;
    const doc = await deps.readUser(name);
    const value = doc?.mustChangePassword === true;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { name, flagged: value, expires: Date.now() + deps.cacheMs });
    return value;
  };

  const forget = (name: string): void => {
    for (const [k, v] of cache) if (v.name === name) cache.delete(k);
  };

  return {
    refusal: async (who, route, key) => {
      if (who.name === null || isServerAdmin(who)) return null;
      if (route.access === 'public' || route.kind === 'user_doc') return null;
      if (!(await flagged(key, who.name))) return null;
      return required(
        'An administrator reset this account’s password: set a new password first ' +
          '(sign in to the console, or write your own _users document with a new password).',
      );
    },
    ownWrite: async (who, current, next) => {
      if (who.name === null || current?.mustChangePassword !== true) return { doc: next };
      if (typeof next.password !== 'string')
        return {
          refusal: required(
            'An administrator reset this account’s password: this write sets no new one.',
          ),
        };
      if (await deps.signsIn(who.name, next.password))
        return {
          refusal: refuse(
            403,
            'forbidden',
            'same_password',
            'The new password is the temporary one; choose another.',
          ),
        };
      forget(who.name);
      return { doc: { ...next, mustChangePassword: false } };
    },
  };
}
