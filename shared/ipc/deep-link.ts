/**
 * `switchboard://` deep links. Strict on purpose: the URL arrives from the operating system, i.e.
 * from any web page or document that can make the user click a link, so anything other than the
 * two known shapes is refused rather than repaired.
 */
import { isTicketKind, type TicketKind } from '../domain/kinds';
import { parseTicketNumber } from '../domain/numbering';
import { parseExternalRef } from '../import/external-ref';

/** The URL scheme the app registers with the operating system. */
export const DEEP_LINK_SCHEME = 'switchboard';

/** Longest deep link considered at all; real ones are under 40 characters. */
export const DEEP_LINK_MAX_LENGTH = 100;

/** What a deep link asks for. */
export type DeepLink =
  | { readonly action: 'ticket'; readonly number: string }
  | { readonly action: 'new'; readonly kind: TicketKind };

/** Result of parsing a deep link. */
export type DeepLinkResult =
  { readonly ok: true; readonly link: DeepLink } | { readonly ok: false; readonly error: string };

// Scheme and action are case-insensitive (RFC 3986 schemes are; some launchers lowercase the
// whole URL). One path segment of letters, digits and dashes; one optional trailing slash (some
// browsers add it). No userinfo, port, query, fragment, percent-encoding or whitespace.
const LINK_RE = /^switchboard:\/\/(ticket|new)\/([A-Za-z0-9-]{1,40})\/?$/i;

const refuse = (error: string): DeepLinkResult => ({ ok: false, error });

/** Parses `switchboard://ticket/<number>` or `switchboard://new/<kind>`; refuses anything else. */
export function parseDeepLink(input: unknown): DeepLinkResult {
  if (typeof input !== 'string') return refuse('A deep link must be a string.');
  if (input.length > DEEP_LINK_MAX_LENGTH) return refuse('The deep link is too long.');
  const m = LINK_RE.exec(input);
  const action = m?.[1]?.toLowerCase();
  const arg = m?.[2];
  if (action === undefined || arg === undefined) return refuse('Not a Switchboard link.');
  if (action === 'ticket') {
    // An imported ticket's source number (`INC0000045`) names the ticket imported from it.
    const external = parseExternalRef(arg);
    if (external) return { ok: true, link: { action: 'ticket', number: external.number } };
    const parsed = parseTicketNumber(arg);
    if (!parsed.ok) return refuse(parsed.error);
    return { ok: true, link: { action: 'ticket', number: parsed.number } };
  }
  const kind = arg.toLowerCase();
  if (!isTicketKind(kind)) return refuse(`"${arg}" is not a ticket kind.`);
  return { ok: true, link: { action: 'new', kind } };
}

/** The one canonical spelling of a deep link (what main forwards to the renderer). */
export function formatDeepLink(link: DeepLink): string {
  return link.action === 'ticket'
    ? `${DEEP_LINK_SCHEME}://ticket/${link.number}`
    : `${DEEP_LINK_SCHEME}://new/${link.kind}`;
}

/** True if `url` is a deep link in its canonical spelling. */
export function isCanonicalDeepLink(url: string): boolean {
  const r = parseDeepLink(url);
  return r.ok && formatDeepLink(r.link) === url;
}
