/**
 * Slows password guessing (docs/security.md, "Accounts"): after ACCOUNT_FREE failed sign-ins in
 * a row for one account, or ADDRESS_FREE from one client address, each further attempt must
 * wait twice as long as the last (1 s, 2 s, 4 s, … up to MAX_WAIT_MS); attempts made while
 * waiting are refused without trying the password. A success clears the account's count; counts
 * are forgotten after FORGET_MS without failures. Time is a parameter, for tests.
 */
export const ACCOUNT_FREE = 5;
export const ADDRESS_FREE = 20;
export const MAX_WAIT_MS = 15 * 60_000;
export const MAX_ADDRESS_WAIT_MS = 60_000;
const FORGET_MS = 60 * 60_000;

type Entry = { failures: number; last: number };

export type Throttle = {
  /** Milliseconds the caller must still wait before trying `name` from `address` (0 = go). */
  readonly blockedFor: (name: string, address: string, now?: number) => number;
  readonly failed: (name: string, address: string, now?: number) => void;
  readonly succeeded: (name: string, address: string) => void;
};

export function createThrottle(): Throttle {
  const accounts = new Map<string, Entry>();
  const addresses = new Map<string, Entry>();
  const waitOf = (e: Entry | undefined, free: number, cap: number, now: number): number => {
    if (!e || e.failures < free) return 0;
    const wait = Math.min(cap, 1000 * 2 ** (e.failures - free));
    return Math.max(0, e.last + wait - now);
  };
  const bump = (m: Map<string, Entry>, k: string, now: number) => {
    const e = m.get(k);
    if (e && now - e.last < FORGET_MS) {
      e.failures += 1;
      e.last = now;
    } else m.set(k, { failures: 1, last: now });
    if (m.size > 50_000) {
      for (const [key, v] of m) if (now - v.last >= FORGET_MS) m.delete(key);
    }
  };
  return {
    blockedFor: (name, address, now = Date.now()) =>
      Math.max(
        waitOf(accounts.get(name), ACCOUNT_FREE, MAX_WAIT_MS, now),
        waitOf(addresses.get(address), ADDRESS_FREE, MAX_ADDRESS_WAIT_MS, now),
      ),
    failed: (name, address, now = Date.now()) => {
      bump(accounts, name, now);
      bump(addresses, address, now);
    },
    succeeded: (name, address) => {
      accounts.delete(name);
      const a = addresses.get(address);
      if (a && a.failures > 0) a.failures = Math.max(0, a.failures - 1);
    },
  };
}
