import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_TYPES,
  assertNever,
  conflictActivity,
  validateActivity,
  validateActivityChange,
  type ActivityEntry,
} from '../../../../shared/domain';
import { incident, T0 } from './fixtures';

const note: ActivityEntry = {
  id: 'INC-000000000000:note:1',
  ticketNumber: 'INC-000000000000',
  type: 'work-note',
  at: T0,
  by: 'alice',
  schemaVersion: 1,
  body: 'Called the caller back; VPN client updated.',
  data: {},
};

describe('activity entry validation', () => {
  it('accepts a work note and a field change without text', () => {
    expect(validateActivity(note)).toEqual({ ok: true, value: note });
    const change = { ...note, type: 'field-change', body: '', data: { field: 'impact' } };
    expect(validateActivity(change).ok).toBe(true);
  });

  it.each([
    ['not an object', null, 'activity entry must be an object'],
    ['no id', { ...note, id: '' }, 'id is required'],
    [
      'a long ticket number',
      { ...note, ticketNumber: 'X'.repeat(41) },
      'ticket number must be at most 40 characters',
    ],
    [
      'an unknown type',
      { ...note, type: 'email' },
      `type must be one of ${ACTIVITY_TYPES.join(', ')}`,
    ],
    [
      'a local time',
      { ...note, at: '2026-03-02 09:00' },
      'at must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    [
      'an impossible date',
      { ...note, at: '2026-13-45T09:00:00Z' },
      'at must be a UTC timestamp like 2026-01-31T09:30:00.000Z',
    ],
    ['no author', { ...note, by: undefined }, 'by is required'],
    ['a future schema', { ...note, schemaVersion: 2 }, 'schemaVersion must be 1'],
    ['a body that is not text', { ...note, body: 42 }, 'body must be text'],
    ['a huge body', { ...note, body: 'x'.repeat(50_001) }, 'body must be at most 50000 characters'],
    ['an empty reply', { ...note, type: 'reply', body: '  ' }, 'a note needs some text'],
    ['data that is a list', { ...note, data: [] }, 'data must be an object'],
  ])('refuses %s with a clear message', (_name, doc, message) => {
    expect(validateActivity(doc)).toEqual({ ok: false, errors: [message] });
  });
});

describe('server rule for activity writes', () => {
  const alice = { name: 'alice', roles: ['agent'] };
  const ben = { name: 'ben', roles: ['agent'] };
  const entry = note as unknown as Record<string, unknown>;

  it('lets authors add their own entries, and nobody write in someone else’s name', () => {
    expect(validateActivityChange(null, entry, alice)).toEqual({ ok: true });
    expect(validateActivityChange(null, entry, ben)).toEqual({
      ok: false,
      reason: 'An entry by alice cannot be written by ben.',
    });
    expect(validateActivityChange(null, entry, { name: 'admin', roles: ['_admin'] })).toEqual({
      ok: true,
    });
  });

  it('takes conflict records only from their recorder, under an id naming them', () => {
    const conflict = {
      ...entry,
      id: 'INC-000000000000:conflict:alice:x1',
      type: 'conflict',
      body: 'Both sides changed impact.',
      data: { field: 'impact', kept: 1, lost: 3, base: 2 },
    };
    expect(validateActivityChange(null, conflict, alice)).toEqual({ ok: true });
    // The merge's other author (or anyone else) cannot write it in alice's name.
    expect(validateActivityChange(null, conflict, ben)).toMatchObject({ ok: false });
    // Nor can alice take the id ben's record of the same merge needs.
    const squat = { ...conflict, id: 'INC-000000000000:conflict:ben:x1' };
    expect(validateActivityChange(null, squat, alice)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/INC-000000000000:conflict:alice:/) as unknown,
    });
  });

  it('records a merge as the recorder, one document per recorder', () => {
    const t = incident();
    const merged = { ...t, updatedAt: T0, updatedBy: 'ben' };
    const lost = [
      { field: 'impact', base: 2, local: 1, remote: 3, kept: 'local' as const, lostValue: 3 },
    ];
    const [mine] = conflictActivity(t.number, lost, merged, 'alice');
    const [theirs] = conflictActivity(t.number, lost, merged, 'ben');
    expect(mine).toMatchObject({ by: 'alice', type: 'conflict' });
    expect(mine?.id.startsWith(`${t.number}:conflict:alice:`)).toBe(true);
    expect(theirs?.by).toBe('ben');
    expect(theirs?.id).not.toBe(mine?.id);
    // The same recorder recording the same merge again writes the same document.
    expect(conflictActivity(t.number, lost, merged, 'alice')[0]?.id).toBe(mine?.id);
    const doc = mine as unknown as Record<string, unknown>;
    expect(validateActivityChange(null, doc, alice)).toEqual({ ok: true });
    expect(validateActivityChange(null, doc, ben)).toMatchObject({ ok: false });
    expect(String(mine?.id).length).toBeLessThanOrEqual(80);
  });

  it('refuses invalid entries with every reason', () => {
    expect(validateActivityChange(null, { ...entry, body: '', schemaVersion: 0 }, alice)).toEqual({
      ok: false,
      reason: 'schemaVersion must be 1; a note needs some text',
    });
  });

  it('is append-only: an entry never changes, though a replay of the same one is fine', () => {
    expect(validateActivityChange(entry, { ...entry, body: 'Edited later' }, alice)).toEqual({
      ok: false,
      reason: 'Activity is append-only: entries cannot be changed.',
    });
    const reordered = Object.fromEntries(Object.entries(entry).reverse());
    expect(validateActivityChange(entry, reordered, alice)).toEqual({ ok: true });
  });
});

describe('assertNever', () => {
  it('throws with the unexpected value when a union grows without its switch', () => {
    expect(() => assertNever('escalated' as never)).toThrow('Unexpected value: "escalated"');
  });
});
