/**
 * Field work on a work order, from the ticket and its activity (append-only, so offline devices
 * never overwrite each other): field status, checklist ticks, time entries, parts, photos and
 * the customer's signature. Pure.
 */
import type { ActivityEntry, Ticket } from '../domain';

/** The field statuses a technician moves through. */
export const FIELD_STATUSES = [
  'scheduled',
  'travelling',
  'on-site',
  'work-done',
  'needs-follow-up',
] as const;
export type FieldStatus = (typeof FIELD_STATUSES)[number];

export const FIELD_STATUS_LABELS: Record<FieldStatus, string> = {
  scheduled: 'Scheduled',
  travelling: 'Travelling',
  'on-site': 'On site',
  'work-done': 'Work done',
  'needs-follow-up': 'Needs follow-up',
};

/** One checklist item with whether it is done (the latest tick wins). */
export type ChecklistItemState = {
  readonly id: string;
  readonly label: string;
  readonly required: boolean;
  readonly done: boolean;
  readonly by: string | null;
  readonly at: string | null;
};

/** The checklist of `ticket` with the ticks recorded in `activity`. */
export function checklistState(
  ticket: Ticket,
  activity: readonly ActivityEntry[],
): ChecklistItemState[] {
  const latest = new Map<string, ActivityEntry>();
  for (const e of activity) {
    if (e.type !== 'checklist-tick') continue;
    const id = e.data.itemId;
    if (typeof id !== 'string') continue;
    const prev = latest.get(id);
    if (!prev || e.at > prev.at || (e.at === prev.at && e.id > prev.id)) latest.set(id, e);
  }
  return (ticket.workorder?.checklist ?? []).map((item) => {
    const tick = latest.get(item.id);
    return {
      ...item,
      done: tick?.data.done === true,
      by: tick?.by ?? null,
      at: tick?.at ?? null,
    };
  });
}

/** Why the work cannot be marked done yet, or null when it can. */
export function cannotComplete(ticket: Ticket, activity: readonly ActivityEntry[]): string | null {
  const missing = checklistState(ticket, activity).filter((i) => i.required && !i.done);
  return missing.length === 0
    ? null
    : `Required checklist items not done: ${missing.map((i) => i.label).join(', ')}.`;
}

/** A time entry: work from `startedAt` to `endedAt` (device clock), in minutes. */
export type TimeEntry = {
  readonly id: string;
  readonly by: string;
  readonly startedAt: string;
  readonly endedAt: string;
  readonly minutes: number;
  readonly note: string;
};

/** Validated data of a time entry, or the reason it is not one. */
export function timeEntryData(
  startedAt: string,
  endedAt: string,
  note: string,
): { ok: true; data: Record<string, unknown> } | { ok: false; error: string } {
  const a = Date.parse(startedAt);
  const b = Date.parse(endedAt);
  if (Number.isNaN(a) || Number.isNaN(b))
    return { ok: false, error: 'Start and end must be times.' };
  if (b <= a) return { ok: false, error: 'The end must be after the start.' };
  if (b - a > 24 * 3600_000) return { ok: false, error: 'One entry covers at most 24 hours.' };
  if (note.length > 500) return { ok: false, error: 'The note is at most 500 characters.' };
  return {
    ok: true,
    data: {
      startedAt: new Date(a).toISOString(),
      endedAt: new Date(b).toISOString(),
      minutes: Math.round((b - a) / 60_000),
      note,
    },
  };
}

/** The time entries recorded on a work order, oldest first. */
export function timeEntries(activity: readonly ActivityEntry[]): TimeEntry[] {
  return activity
    .filter((e) => e.type === 'time-entry')
    .flatMap((e) => {
      const d = e.data;
      if (typeof d.startedAt !== 'string' || typeof d.endedAt !== 'string') return [];
      return [
        {
          id: e.id,
          by: e.by,
          startedAt: d.startedAt,
          endedAt: d.endedAt,
          minutes: typeof d.minutes === 'number' ? d.minutes : 0,
          note: typeof d.note === 'string' ? d.note : '',
        },
      ];
    })
    .sort((x, y) => x.startedAt.localeCompare(y.startedAt));
}

/** A part used on site. */
export type PartUsed = {
  readonly id: string;
  readonly partNo: string;
  readonly name: string;
  readonly qty: number;
};

/** Validated data of a part entry, or the reason it is not one. */
export function partData(
  partNo: string,
  name: string,
  qty: number,
): { ok: true; data: Record<string, unknown> } | { ok: false; error: string } {
  if (name.trim() === '') return { ok: false, error: 'Name the part.' };
  if (!Number.isInteger(qty) || qty < 1 || qty > 999)
    return { ok: false, error: 'Quantity is a whole number from 1 to 999.' };
  if (partNo.length > 60 || name.length > 200)
    return { ok: false, error: 'Part number or name too long.' };
  return { ok: true, data: { partNo: partNo.trim(), name: name.trim(), qty } };
}

/** The parts recorded on a work order. */
export function partsUsed(activity: readonly ActivityEntry[]): PartUsed[] {
  return activity
    .filter((e) => e.type === 'part')
    .map((e) => ({
      id: e.id,
      partNo: typeof e.data.partNo === 'string' ? e.data.partNo : '',
      name: typeof e.data.name === 'string' ? e.data.name : '',
      qty: typeof e.data.qty === 'number' ? e.data.qty : 0,
    }));
}

/** A file (photo, signature) attached to a work order, by its attachment id. */
export type AttachedFile = {
  readonly entryId: string;
  readonly fileId: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly kind: 'photo' | 'signature';
  readonly signedBy?: string;
  readonly at: string;
  readonly by: string;
};

/** The photos and signatures recorded on a work order. */
export function attachedFiles(activity: readonly ActivityEntry[]): AttachedFile[] {
  return activity.flatMap((e) => {
    if (e.type !== 'attachment' && e.type !== 'signature') return [];
    const d = e.data;
    if (typeof d.fileId !== 'string') return [];
    return [
      {
        entryId: e.id,
        fileId: d.fileId,
        name: typeof d.name === 'string' ? d.name : d.fileId,
        type: typeof d.type === 'string' ? d.type : 'application/octet-stream',
        size: typeof d.size === 'number' ? d.size : 0,
        kind: e.type === 'signature' ? ('signature' as const) : ('photo' as const),
        ...(e.type === 'signature' && typeof d.signedBy === 'string'
          ? { signedBy: d.signedBy }
          : {}),
        at: e.at,
        by: e.by,
      },
    ];
  });
}
