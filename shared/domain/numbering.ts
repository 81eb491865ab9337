/**
 * Offline ticket numbers, e.g. `INC-1B2C3D4E5F6G`: prefix, then 12 Crockford base32 characters:
 * 6 of time (seconds since 2024-01-01, so numbers sort roughly by creation and last until 2058),
 * 3 from a hash of the device id (32,768 values) and 3 random (32,768 values). Numbers from two
 * devices can only collide when both are made in the same second, the devices share a hash and
 * draw the same random part: 1 in 2^30 for such a pair. Within one device the caller re-draws if
 * the number already exists locally, so a device never repeats itself. docs/itil-model.md works
 * through the probabilities for a whole desk.
 */
import { KIND_PREFIX, type TicketKind } from './kinds';

/** Crockford's base32 alphabet (no I, L, O, U). */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const EPOCH_MS = Date.UTC(2024, 0, 1);

function encode(value: number, length: number): string {
  let out = '';
  let v = Math.floor(value);
  for (let i = 0; i < length; i++) {
    out = CROCKFORD.charAt(v % 32) + out;
    v = Math.floor(v / 32);
  }
  return out;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** Inputs of a new number: time, the device, and a random source in [0, 1). */
export type NumberContext = {
  readonly now: number;
  readonly deviceId: string;
  readonly random: () => number;
};

/** A new ticket number for `kind`, made on this device without asking the server. */
export function newTicketNumber(kind: TicketKind, ctx: NumberContext): string {
  const seconds = Math.max(0, Math.floor((ctx.now - EPOCH_MS) / 1000));
  const device = hash(ctx.deviceId) % 32768;
  const random = Math.floor(ctx.random() * 32768) % 32768;
  return `${KIND_PREFIX[kind]}-${encode(seconds, 6)}${encode(device, 3)}${encode(random, 3)}`;
}

const PARSE_RE = /^(INC|REQ|PRB|CHG|WO)-([0-9A-HJKMNP-TV-Z]{12})$/;

/** Parses a ticket number strictly (deep links, search); returns its kind or an error. */
export function parseTicketNumber(
  text: string,
): { ok: true; kind: TicketKind; number: string } | { ok: false; error: string } {
  const m = PARSE_RE.exec(text.trim().toUpperCase());
  if (!m || text.length > 40)
    return {
      ok: false,
      error: `"${text.slice(0, 40)}" is not a ticket number like INC-1B2C3D4E5F6G.`,
    };
  const prefix = m[1];
  const kind = (Object.keys(KIND_PREFIX) as TicketKind[]).find((k) => KIND_PREFIX[k] === prefix);
  if (!kind) return { ok: false, error: 'Unknown ticket prefix.' };
  return { ok: true, kind, number: m[0] };
}
