import { describe, expect, it } from 'vitest';
import {
  attachedFiles,
  cannotComplete,
  checklistState,
  partData,
  partsUsed,
  timeEntries,
  timeEntryData,
} from '../../../../shared/field/field';
import { validateAttachmentWrite } from '../../../../shared/field/attachments';
import type { ActivityEntry, Ticket } from '../../../../shared/domain';
import { incident } from '../domain/fixtures';

const wo: Ticket = {
  ...incident(),
  kind: 'workorder',
  workorder: {
    fieldStatus: 'on-site',
    site: 'HQ',
    contactId: null,
    scheduledFor: null,
    checklist: [
      { id: 'a', label: 'Arrive', required: true },
      { id: 'b', label: 'Tidy', required: false },
      { id: 'c', label: 'Verify', required: true },
    ],
  },
};

let n = 0;
const entry = (
  type: ActivityEntry['type'],
  at: string,
  data: Record<string, unknown>,
): ActivityEntry => ({
  id: `e${++n}`,
  ticketNumber: wo.number,
  type,
  at,
  by: 'tara',
  schemaVersion: 1,
  body: '',
  data,
});

describe('field work', () => {
  it('takes the latest tick of each checklist item and blocks completion on required ones', () => {
    const acts = [
      entry('checklist-tick', '2026-01-01T10:00:00Z', { itemId: 'a', done: true }),
      entry('checklist-tick', '2026-01-01T10:05:00Z', { itemId: 'c', done: true }),
      entry('checklist-tick', '2026-01-01T10:06:00Z', { itemId: 'c', done: false }),
      entry('checklist-tick', '2026-01-01T10:01:00Z', { itemId: 'unknown', done: true }),
    ];
    expect(checklistState(wo, acts).map((i) => [i.id, i.done])).toEqual([
      ['a', true],
      ['b', false],
      ['c', false],
    ]);
    expect(cannotComplete(wo, acts)).toBe('Required checklist items not done: Verify.');
    const done = [
      ...acts,
      entry('checklist-tick', '2026-01-01T10:07:00Z', { itemId: 'c', done: true }),
    ];
    expect(cannotComplete(wo, done)).toBeNull();
    expect(
      cannotComplete({ ...wo, workorder: { ...wo.workorder!, checklist: [] } }, []),
    ).toBeNull();
  });

  it('validates and lists time entries and parts', () => {
    expect(timeEntryData('2026-01-01T10:00:00Z', '2026-01-01T09:00:00Z', '')).toEqual({
      ok: false,
      error: 'The end must be after the start.',
    });
    expect(timeEntryData('x', '2026-01-01T09:00:00Z', '').ok).toBe(false);
    expect(timeEntryData('2026-01-01T00:00:00Z', '2026-01-02T01:00:00Z', '').ok).toBe(false);
    const t = timeEntryData('2026-01-01T10:00:00Z', '2026-01-01T10:45:00Z', 'fix');
    expect(t).toEqual({
      ok: true,
      data: {
        startedAt: '2026-01-01T10:00:00.000Z',
        endedAt: '2026-01-01T10:45:00.000Z',
        minutes: 45,
        note: 'fix',
      },
    });
    if (!t.ok) throw new Error();
    expect(timeEntries([entry('time-entry', '2026-01-01T11:00:00Z', t.data)])[0]?.minutes).toBe(45);
    expect(partData('', ' ', 1).ok).toBe(false);
    expect(partData('P1', 'Reader', 0).ok).toBe(false);
    expect(partData('P1', 'Reader', 1.5).ok).toBe(false);
    const p = partData(' P1 ', ' Reader ', 2);
    expect(p).toEqual({ ok: true, data: { partNo: 'P1', name: 'Reader', qty: 2 } });
    if (!p.ok) throw new Error();
    expect(partsUsed([entry('part', '2026-01-01T11:00:00Z', p.data)])[0]).toMatchObject({
      name: 'Reader',
      qty: 2,
    });
  });

  it('lists photos and signatures by file id', () => {
    const files = attachedFiles([
      entry('attachment', '2026-01-01T11:00:00Z', {
        fileId: 'f1',
        name: 'door.jpg',
        type: 'image/jpeg',
        size: 10,
      }),
      entry('signature', '2026-01-01T11:05:00Z', {
        fileId: 'f2',
        name: 's.png',
        type: 'image/png',
        size: 5,
        signedBy: 'Grace',
      }),
      entry('attachment', '2026-01-01T11:06:00Z', { name: 'no id' }),
    ]);
    expect(files.map((f) => [f.fileId, f.kind, f.signedBy])).toEqual([
      ['f1', 'photo', undefined],
      ['f2', 'signature', 'Grace'],
    ]);
  });

  it('lets the server accept only well-formed attachment documents by their author', () => {
    const doc = {
      _id: 'WO-1:x',
      ticketNumber: 'WO-1',
      name: 'a.jpg',
      type: 'image/jpeg',
      size: 100,
      by: 'tara',
      at: '2026-01-01T00:00:00Z',
    };
    expect(validateAttachmentWrite(doc, null, 'tara')).toBeNull();
    expect(validateAttachmentWrite(doc, null, 'ben')).toMatch(/cannot be written by ben/);
    expect(validateAttachmentWrite({ ...doc, type: 'text/html' }, null, 'tara')).toMatch(
      /Attachments are/,
    );
    expect(validateAttachmentWrite({ ...doc, size: 50 * 1024 * 1024 }, null, 'tara')).toMatch(
      /at most/,
    );
    expect(validateAttachmentWrite({ ...doc, name: 'b.jpg' }, doc, 'tara')).toMatch(/never change/);
    expect(validateAttachmentWrite({ ...doc, _deleted: true }, doc, 'tara')).toMatch(
      /never deleted/,
    );
    expect(
      validateAttachmentWrite(
        { ...doc, _attachments: { data: { content_type: 'image/png' } } },
        doc,
        'tara',
      ),
    ).toMatch(/type differs/);
    expect(
      validateAttachmentWrite(
        { ...doc, _attachments: { other: { content_type: 'image/jpeg' } } },
        doc,
        'tara',
      ),
    ).toMatch(/named data/);
    expect(
      validateAttachmentWrite(
        { ...doc, _attachments: { data: { content_type: 'image/jpeg' } } },
        doc,
        'tara',
      ),
    ).toBeNull();
  });
});
