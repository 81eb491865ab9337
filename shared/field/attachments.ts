/**
 * Attachments of field work (photos, signatures): one document per file in the server's
 * `attachments` database with the file as its `data` attachment. The document's id is made on
 * the device, so an upload retried after a lost answer finds its own document instead of making
 * a second one. Pure; also bundled into the database's validate_doc_update.
 */

/** Content types accepted. */
export const ATTACHMENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
/** Largest file kept or uploaded (after compression). */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Largest file a technician may pick (before compression). */
export const MAX_PICKED_BYTES = 25 * 1024 * 1024;

/** The metadata document of one file. */
export type AttachmentDoc = {
  readonly ticketNumber: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly by: string;
  readonly at: string;
};

/** Why a metadata document is not acceptable, or null. */
export function attachmentDocError(d: Record<string, unknown>): string | null {
  if (typeof d.ticketNumber !== 'string' || d.ticketNumber.length < 1 || d.ticketNumber.length > 40)
    return 'An attachment names its ticket.';
  if (typeof d.name !== 'string' || d.name.length < 1 || d.name.length > 200)
    return 'An attachment has a name of at most 200 characters.';
  if (typeof d.type !== 'string' || ATTACHMENT_TYPES.indexOf(d.type) === -1)
    return `Attachments are ${ATTACHMENT_TYPES.join(', ')}.`;
  if (typeof d.size !== 'number' || d.size < 1 || d.size > MAX_ATTACHMENT_BYTES)
    return `An attachment is at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB.`;
  if (typeof d.by !== 'string' || typeof d.at !== 'string')
    return 'An attachment says who and when.';
  return null;
}

const META = ['ticketNumber', 'name', 'type', 'size', 'by', 'at'];

/**
 * Server rule: a member writes their own attachment documents; once written, only the file may
 * be added (the metadata never changes), and nothing is deleted except by server admins.
 */
export function validateAttachmentWrite(
  newDoc: Record<string, unknown> & { readonly _id: string; readonly _deleted?: boolean },
  oldDoc: Record<string, unknown> | null,
  userName: string,
): string | null {
  if (newDoc._deleted) return 'Attachments are never deleted.';
  const e = attachmentDocError(newDoc);
  if (e) return e;
  if (newDoc.by !== userName)
    return `An attachment by ${String(newDoc.by)} cannot be written by ${userName}.`;
  if (oldDoc && !oldDoc._deleted)
    for (const k of META)
      if (oldDoc[k] !== newDoc[k]) return 'An attachment’s details never change once written.';
  const files = newDoc._attachments as Record<string, { content_type?: unknown }> | undefined;
  if (files)
    for (const name of Object.keys(files)) {
      if (name !== 'data') return 'An attachment document holds one file, named data.';
      const ct = files[name]?.content_type;
      if (ct !== undefined && ct !== newDoc.type)
        return 'The file’s type differs from the document’s.';
    }
  return null;
}
