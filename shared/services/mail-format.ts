/**
 * The desk's mail conventions, pure: Message-IDs derived from what a mail is about (so a resend
 * after a crash is the same message), the per-ticket thread, ticket numbers found in a subject or
 * in threading headers, loop signs, and the admin-editable templates with their placeholders.
 */

/** What a desk mail is about. */
export type MailKind = 'ack' | 'reply' | 'resolved';

/** Mail templates: subject, plain text and HTML, with `{{placeholders}}`. */
export type MailTemplate = {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
};

/** Placeholders a template may use. */
export type TemplateValues = {
  readonly number: string;
  readonly title: string;
  /** The reply's text (replies), or the resolution notes (resolution). */
  readonly body: string;
  readonly requesterName: string;
  readonly reopenDays: string;
};

/** Days after resolution during which a requester's answer reopens the ticket. */
export const REOPEN_WINDOW_DAYS = 7;

/** The templates used until an admin edits them (services database, `template:<kind>`). */
export const DEFAULT_TEMPLATES: Readonly<Record<MailKind, MailTemplate>> = {
  ack: {
    subject: '[{{number}}] {{title}}',
    text:
      'Hello {{requesterName}},\n\nWe have received your message and opened {{number}}: ' +
      '"{{title}}". Reply to this mail to add to it; keep [{{number}}] in the subject.\n\n' +
      '-- The Service Desk',
    html:
      '<p>Hello {{requesterName}},</p><p>We have received your message and opened ' +
      '<strong>{{number}}</strong>: “{{title}}”. Reply to this mail to add to it; keep ' +
      '[{{number}}] in the subject.</p><p>-- The Service Desk</p>',
  },
  reply: {
    subject: 'Re: [{{number}}] {{title}}',
    text: '{{body}}\n\n-- The Service Desk ({{number}})',
    html: '<div>{{body}}</div><p>-- The Service Desk ({{number}})</p>',
  },
  resolved: {
    subject: 'Resolved: [{{number}}] {{title}}',
    text:
      'Hello {{requesterName}},\n\n{{number}} is resolved:\n\n{{body}}\n\n' +
      'If it is not fixed, reply to this mail within {{reopenDays}} days and the ticket reopens.\n\n' +
      '-- The Service Desk',
    html:
      '<p>Hello {{requesterName}},</p><p><strong>{{number}}</strong> is resolved:</p>' +
      '<blockquote>{{body}}</blockquote><p>If it is not fixed, reply to this mail within ' +
      '{{reopenDays}} days and the ticket reopens.</p><p>-- The Service Desk</p>',
  },
};

/** Fills `template`'s placeholders; `escape` is applied to each value (HTML escaping for HTML). */
export function fillTemplate(
  template: string,
  values: TemplateValues,
  escape: (s: string) => string = (s) => s,
  raw: ReadonlySet<keyof TemplateValues> = new Set(),
): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
    if (!Object.prototype.hasOwnProperty.call(values, name)) return whole;
    const key = name as keyof TemplateValues;
    return raw.has(key) ? values[key] : escape(values[key]);
  });
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A short, stable hash (base36) of `text`, for ids derived from content. */
export function stableHash(text: string): string {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h1 >>> 0).toString(36).padStart(7, '0') + (h2 >>> 0).toString(36).padStart(7, '0');
}

/** The Message-ID of the desk's mail about `key` on ticket `number` (same key, same id). */
export function deskMessageId(number: string, key: string, domain: string): string {
  return `<sb.${number}.${stableHash(key)}@${domain}>`;
}

/** The id every mail of ticket `number` refers to, so mail clients keep one thread per ticket. */
export function threadRootId(number: string, domain: string): string {
  return `<sb.${number}@${domain}>`;
}

const NUMBER = '(?:INC|REQ|PRB|CHG|WO)-[0-9A-HJKMNP-TV-Z]{12}';
const SUBJECT_RE = new RegExp(`\\[(${NUMBER})\\]`, 'i');
const REF_RE = new RegExp(`<sb\\.(${NUMBER})[.@]`, 'i');

/** The ticket a mail is about: `[INC-…]` in the subject, else the desk's ids in its references. */
export function ticketNumberOf(subject: string, references: readonly string[]): string | null {
  const s = SUBJECT_RE.exec(subject);
  if (s?.[1]) return s[1].toUpperCase();
  for (const r of references) {
    const m = REF_RE.exec(r);
    if (m?.[1]) return m[1].toUpperCase();
  }
  return null;
}

/** Headers that decide whether a mail is automatic (never answered, never a ticket). */
export type LoopHeaders = {
  readonly autoSubmitted?: string;
  readonly precedence?: string;
  readonly from: string;
  readonly listId?: string;
  readonly autoResponseSuppress?: string;
};

/** Why a mail must not become a ticket or reply (an auto-reply, a list, our own mail), or null. */
export function loopReason(h: LoopHeaders, ownAddresses: readonly string[]): string | null {
  const auto = h.autoSubmitted?.trim().toLowerCase();
  if (auto && auto !== 'no') return `Auto-Submitted: ${auto}`;
  const prec = h.precedence?.trim().toLowerCase();
  if (prec === 'bulk' || prec === 'junk' || prec === 'list' || prec === 'auto_reply')
    return `Precedence: ${prec}`;
  if (h.listId) return 'a mailing list (List-Id)';
  const from = h.from.trim().toLowerCase();
  if (ownAddresses.some((a) => a.toLowerCase() === from)) return 'mail from the desk itself';
  if (/^(mailer-daemon|postmaster)@/.test(from)) return 'a mail system (no DSN report)';
  return null;
}
