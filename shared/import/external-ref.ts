/**
 * Tickets imported from another tool keep their source number (`INC0000045`) as an external
 * reference. Their Switchboard number is derived from it, so the same source number always maps
 * to the same ticket (imports are idempotent) and search, the palette and deep links can find an
 * imported ticket from its source number without asking the server. Pure.
 *
 * An imported number is `INC-00` followed by the source number's digits in Crockford base32
 * (10 characters): `INC0000045` → `INC-00000000001D`. Switchboard-made numbers start with six
 * characters of seconds since 2024-01-01 (see ../domain/numbering.ts), so their first two
 * characters are `00` only for numbers made in the first twelve days of 2024, before the product
 * existed: the two ranges do not meet, and imported tickets sort before every other.
 */
import { CROCKFORD } from '../domain/numbering';
import type { TicketKind } from '../domain/kinds';

/** Source-number prefixes (ServiceNow's defaults) and the ticket kind they import as. */
export const EXTERNAL_PREFIXES = {
  INC: 'incident',
  PRB: 'problem',
  CHG: 'change',
  RITM: 'request',
} as const satisfies Record<string, TicketKind>;

const SWITCHBOARD_PREFIX: Record<TicketKind, string> = {
  incident: 'INC',
  request: 'REQ',
  problem: 'PRB',
  change: 'CHG',
  workorder: 'WO',
};

const REF_RE = /^(INC|PRB|CHG|RITM)(\d{1,15})$/;
const IMPORTED_RE = /^(INC|REQ|PRB|CHG)-00([0-9A-HJKMNP-TV-Z]{10})$/;

/** A parsed external reference. */
export type ExternalRef = {
  readonly ref: string;
  readonly kind: TicketKind;
  /** The Switchboard number of the ticket imported from it. */
  readonly number: string;
};

/** Parses `INC0000045`-style source numbers (case-insensitive); null for anything else. */
export function parseExternalRef(text: string): ExternalRef | null {
  if (text.length > 20) return null;
  const m = REF_RE.exec(text.trim().toUpperCase());
  const prefix = m?.[1] as keyof typeof EXTERNAL_PREFIXES | undefined;
  const digits = m?.[2];
  if (prefix === undefined || digits === undefined) return null;
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value >= 32 ** 10) return null;
  const kind = EXTERNAL_PREFIXES[prefix];
  let code = '';
  let v = value;
  for (let i = 0; i < 10; i++) {
    code = CROCKFORD.charAt(v % 32) + code;
    v = Math.floor(v / 32);
  }
  return { ref: `${prefix}${digits}`, kind, number: `${SWITCHBOARD_PREFIX[kind]}-00${code}` };
}

/** True if `number` is the number of an imported ticket (see the module comment). */
export function isImportedNumber(number: string): boolean {
  return IMPORTED_RE.test(number);
}
