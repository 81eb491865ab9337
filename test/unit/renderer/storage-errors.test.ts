import { describe, expect, it } from 'vitest';
import {
  ABORTED_WRITE_MESSAGE,
  DATABASE_CLOSED_MESSAGE,
  STORAGE_FULL_MESSAGE,
  explainWriteError,
  isLocalStorageFailure,
  isStorageFull,
} from '../../../renderer/src/data/storage-errors';

const quota = Object.assign(new Error('Quota exceeded'), { name: 'QuotaExceededError' });

describe('failed local writes, explained', () => {
  it('finds a quota error however deeply Dexie and RxDB wrap it', () => {
    expect(isStorageFull(quota)).toBe(true);
    expect(isStorageFull({ parameters: { error: { inner: quota } } })).toBe(true);
    expect(isStorageFull({ errors: [new Error('x'), { cause: quota }] })).toBe(true);
    expect(isStorageFull(new Error('conflict'))).toBe(false);
    const loop: Record<string, unknown> = {};
    loop.cause = loop;
    expect(isStorageFull(loop)).toBe(false);
  });

  it('says what to do for a full quota, a refused write, a closed database, and passes others on', async () => {
    const plenty = () => Promise.resolve({ quota: 1e9, usage: 1e6 });
    const full = () => Promise.resolve({ quota: 1e6, usage: 1e6 - 10 });
    expect(await explainWriteError(quota, plenty)).toBe(STORAGE_FULL_MESSAGE);
    const aborted = new Error(
      'docs.bulkPut(): 1 of 1 operations failed. Errors: AbortError: The transaction was aborted, so the request cannot be fulfilled.',
    );
    expect(await explainWriteError(aborted, full)).toBe(STORAGE_FULL_MESSAGE);
    expect(await explainWriteError(aborted, plenty)).toContain(ABORTED_WRITE_MESSAGE);
    expect(await explainWriteError(new Error('Database has been closed'), plenty)).toBe(
      DATABASE_CLOSED_MESSAGE,
    );
    expect(await explainWriteError(new Error('Ticket INC-1 is not in this replica'), plenty)).toBe(
      'Ticket INC-1 is not in this replica',
    );
  });
});

describe('storage failures as sync sees them', () => {
  it('counts quota, refused writes and a closed database, never an aborted fetch', () => {
    expect(isLocalStorageFailure({ parameters: { errors: [quota] } })).toBe(true);
    expect(
      isLocalStorageFailure({
        parameters: { error: new Error('AbortError: The transaction was aborted, so the request') },
      }),
    ).toBe(true);
    expect(isLocalStorageFailure(new Error('Database has been closed'))).toBe(true);
    const fetchAbort = Object.assign(new Error('This operation was aborted'), {
      name: 'AbortError',
    });
    expect(isLocalStorageFailure(fetchAbort)).toBe(false);
    expect(isLocalStorageFailure({ parameters: { error: fetchAbort } })).toBe(false);
    expect(isLocalStorageFailure(new Error('401 You are not signed in'))).toBe(false);
  });
});
