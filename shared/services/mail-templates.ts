/**
 * The desk's mail templates, pure: the three an admin edits on the Templates page
 * (`template:<kind>` in the services database), their checks (unknown placeholders, the ticket
 * number in the subject, no scripts in the HTML, sizes), the rule validate_doc_update applies to
 * them (admins only, a version one past the stored one, in their own name) and the rendering
 * both desk services and the page's preview use, so the preview is the mail.
 */
import {
  DEFAULT_TEMPLATES,
  escapeHtml,
  fillTemplate,
  REOPEN_WINDOW_DAYS,
  type MailKind,
  type MailTemplate,
  type TemplateValues,
} from './mail-format';

export const TEMPLATE_KINDS: readonly MailKind[] = ['ack', 'reply', 'resolved'];

/** What each template is, in the console's words. */
export const TEMPLATE_LABELS: Readonly<Record<MailKind, string>> = {
  ack: 'Acknowledgement of a new ticket',
  reply: 'Public reply',
  resolved: 'Resolution',
};

/** Every placeholder a template may use, with what it becomes. */
export const PLACEHOLDERS: Readonly<Record<keyof TemplateValues, string>> = {
  number: 'the ticket number, e.g. INC-…',
  title: 'the ticket’s title',
  body: 'the reply’s text (replies) or the resolution notes (resolution)',
  requesterName: 'the requester’s name',
  reopenDays: `days a reply reopens a resolved ticket (${REOPEN_WINDOW_DAYS})`,
};

export const MAX_SUBJECT_CHARS = 300;
export const MAX_BODY_CHARS = 64 * 1024;

/** The fields of a template an admin edits. */
export type TemplateField = keyof MailTemplate;

/** Why each field cannot be saved; an empty object when all can. */
export type TemplateErrors = Partial<Record<TemplateField, string>>;

/** A stored template (`template:<kind>`), as the services database holds it. */
export type TemplateDoc = MailTemplate & {
  readonly kind: MailKind;
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
};

const PLACEHOLDER_NAMES = Object.keys(PLACEHOLDERS);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Why the `{{…}}` of one field are not all known placeholders, or null. */
function placeholderError(s: string): string | null {
  const unknown: string[] = [];
  // Every `{{` opens a placeholder: one left open, or a name that is not ours, is an error.
  const re = /\{\{([^{}]*)\}\}/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const name = (m[1] ?? '').trim();
    if (!/^\w+$/.test(name) || !hasOwn(PLACEHOLDERS, name)) unknown.push(`{{${m[1] ?? ''}}}`);
  }
  if (unknown.length > 0)
    return `Unknown placeholder ${unknown.slice(0, 3).join(', ')}: use ${PLACEHOLDER_NAMES.map((n) => `{{${n}}}`).join(', ')}.`;
  const bare = s.replace(re, '');
  if (bare.indexOf('{{') !== -1 || bare.indexOf('}}') !== -1)
    return 'A placeholder is left open: write it as {{name}}.';
  return null;
}

/** Why the HTML part could run code in a mail client or the preview, or null. */
function unsafeHtml(html: string): string | null {
  if (/<\s*(script|iframe|object|embed|form|base|meta|link)\b/i.test(html))
    return 'Mail HTML has no script, iframe, object, embed, form, base, meta or link elements.';
  if (/\son[a-z]+\s*=/i.test(html)) return 'Mail HTML has no event handler attributes (on…=).';
  if (
    /\b(href|src|action|background|poster)\s*=\s*["']?\s*(javascript|vbscript|data)\s*:/i.test(html)
  )
    return 'Mail HTML links no javascript:, vbscript: or data: addresses.';
  return null;
}

/** Why each field of `t` cannot be saved (unknown placeholders, the subject's ticket number). */
export function templateErrors(t: { readonly [K in TemplateField]?: unknown }): TemplateErrors {
  const out: { -readonly [K in TemplateField]?: string } = {};
  const { subject } = t;
  if (typeof subject !== 'string' || subject.trim() === '') out.subject = 'A subject is needed.';
  else if (subject.length > MAX_SUBJECT_CHARS)
    out.subject = `A subject has at most ${MAX_SUBJECT_CHARS} characters.`;
  else if (/[\r\n]/.test(subject)) out.subject = 'A subject is one line.';
  else {
    const e = placeholderError(subject);
    if (e) out.subject = e;
    else if (!/\[\{\{\s*number\s*\}\}\]/.test(subject))
      out.subject = 'The subject keeps [{{number}}], so the requester’s answer finds its ticket.';
  }
  for (const field of ['text', 'html'] as const) {
    const v = t[field];
    if (typeof v !== 'string' || v.trim() === '') out[field] = 'This part is needed.';
    else if (v.length > MAX_BODY_CHARS)
      out[field] = `This part has at most ${MAX_BODY_CHARS.toLocaleString('en')} characters.`;
    else {
      const e = placeholderError(v) ?? (field === 'html' ? unsafeHtml(v) : null);
      if (e) out[field] = e;
    }
  }
  return out;
}

/** The kind a `template:<kind>` id names, or null. */
export function templateKindOf(id: string): MailKind | null {
  const k = id.indexOf('template:') === 0 ? id.slice('template:'.length) : '';
  return (TEMPLATE_KINDS as readonly string[]).indexOf(k) !== -1 ? (k as MailKind) : null;
}

const TEMPLATE_FIELDS = ['kind', 'subject', 'text', 'html', 'version', 'updatedBy', 'updatedAt'];

/**
 * validate_doc_update's rule for `template:` documents (the services database): written by the
 * `admin` role only, in their own name, never deleted, one of the three kinds, every field
 * valid, and a version one past the stored one (so two admins' saves from the same version do
 * not both pass, and each save is numbered). Server admins skip validation altogether.
 */
export function templateWriteError(
  newDoc: Record<string, unknown>,
  oldDoc: Record<string, unknown> | null,
  user: { readonly name: string | null; readonly roles: readonly string[] },
): string | null {
  if (user.roles.indexOf('admin') === -1 || !user.name) return 'Only admins write mail templates.';
  if (newDoc._deleted === true) return 'Mail templates are edited, never deleted.';
  const id = typeof newDoc._id === 'string' ? newDoc._id : '';
  const kind = templateKindOf(id);
  if (kind === null) return `A mail template is template:${TEMPLATE_KINDS.join(', template:')}.`;
  if (newDoc.kind !== kind) return `The template's kind is ${kind}.`;
  for (const k of Object.keys(newDoc))
    if (k.charAt(0) !== '_' && TEMPLATE_FIELDS.indexOf(k) === -1)
      return `A mail template has no field ${k}.`;
  const errors = templateErrors(newDoc);
  for (const f of ['subject', 'text', 'html'] as const) {
    const e = errors[f];
    if (e) return `${f}: ${e}`;
  }
  const previous =
    oldDoc && !oldDoc._deleted && typeof oldDoc.version === 'number' ? oldDoc.version : 0;
  if (newDoc.version !== previous + 1)
    return `This saves version ${previous + 1} of the template (version ${String(newDoc.version)} given).`;
  if (newDoc.updatedBy !== user.name) return 'A template says who saved it (updatedBy).';
  if (typeof newDoc.updatedAt !== 'string' || isNaN(Date.parse(newDoc.updatedAt)))
    return 'A template says when it was saved (updatedAt).';
  return null;
}

/**
 * The template desk services use for `kind`: the stored one when it is valid, else the default
 * (a template written past the rules, by a server admin, never breaks the mail).
 */
export function effectiveTemplate(
  kind: MailKind,
  stored: { readonly [K in TemplateField]?: unknown } | null,
): MailTemplate & { readonly version: number } {
  if (stored && Object.keys(templateErrors(stored)).length === 0) {
    const v = (stored as { version?: unknown }).version;
    return {
      subject: stored.subject as string,
      text: stored.text as string,
      html: stored.html as string,
      version: typeof v === 'number' ? v : 0,
    };
  }
  return { ...DEFAULT_TEMPLATES[kind], version: 0 };
}

/** A mail as desk services sends it. */
export type RenderedMail = {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
};

/**
 * Fills a template: the subject on one line, the text as is, the HTML with every value escaped
 * but the body, which is `markdown` of it (desk services: markdown-it with raw HTML off).
 */
export function renderMail(
  t: MailTemplate,
  values: TemplateValues,
  markdown: (source: string) => string,
): RenderedMail {
  return {
    subject: fillTemplate(t.subject, values).replace(/[\r\n]+/g, ' '),
    text: fillTemplate(t.text, values),
    html: fillTemplate(
      t.html,
      { ...values, body: markdown(values.body) },
      escapeHtml,
      new Set(['body']),
    ),
  };
}

/** The sample ticket of the preview. */
export const SAMPLE_VALUES: TemplateValues = {
  number: 'INC-0K2M4P6R8T0V',
  title: 'Printer on floor 2 jams',
  body: 'We replaced the **fuser unit**; please try printing again.',
  requesterName: 'Jordan Example',
  reopenDays: String(REOPEN_WINDOW_DAYS),
};
