import { describe, expect, it } from 'vitest';
import {
  ABORTED_WRITE_MESSAGE,
  DATABASE_CLOSED_MESSAGE,
  STORAGE_FULL_MESSAGE,
  explainWriteError,
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
    const aborted = new Error('docs.bulkPut(): 1 of 1 operations failed. Errors: AbortError: x');
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
