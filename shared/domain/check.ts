/**
 * Small hand-written validators. Ticket validation is bundled into CouchDB's validate_doc_update
 * and runs on every write, so it must be tiny and allocation-light; a schema library here cost
 * more to load than the validation itself.
 */

/** Accumulates readable error messages. */
export type Problems = string[];

/** Checks that `v` is a string of `min`..`max` characters (after trimming for `min`). */
export function checkString(
  p: Problems,
  v: unknown,
  field: string,
  min: number,
  max: number,
): void {
  if (typeof v !== 'string') {
    p.push(`${field} is required`);
    return;
  }
  if (v.trim().length < min) p.push(`${field} is required`);
  if (v.length > max) p.push(`${field} must be at most ${max} characters`);
}

/** Checks an optional (nullable) string. */
export function checkNullableString(p: Problems, v: unknown, field: string, max: number): void {
  if (v === null) return;
  if (typeof v !== 'string') p.push(`${field} must be text or empty`);
  else if (v.length > max) p.push(`${field} must be at most ${max} characters`);
}

/** Checks an ISO 8601 UTC timestamp. */
export function checkIso(p: Problems, v: unknown, field: string): void {
  if (
    typeof v !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(v) ||
    isNaN(Date.parse(v))
  ) {
    p.push(`${field} must be a UTC timestamp like 2026-01-31T09:30:00.000Z`);
  }
}

/** Checks that `v` is one of `allowed`. */
export function checkOneOf(
  p: Problems,
  v: unknown,
  field: string,
  allowed: readonly unknown[],
): void {
  if (!allowed.includes(v))
    p.push(`${field} must be one of ${allowed.map((a) => String(a)).join(', ')}`);
}

/** True if `v` is a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
