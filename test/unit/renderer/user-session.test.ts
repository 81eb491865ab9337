/**
 * A user's open tabs, selected view and drafts as stored on the device: what is read back is
 * checked field by field (bad data is dropped, never breaks start-up), and two users on one
 * device never see each other's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EMPTY_USER_SESSION,
  MAX_DRAFT_CHARS,
  MAX_DRAFTS,
  MAX_STORED_TABS,
  parseUserSession,
  readUserSession,
  serializeUserSession,
  userSessionKey,
  writeUserSession,
  type UserSession,
} from '../../../renderer/src/app/user-session';
import { startUserSession, useUi } from '../../../renderer/src/app/ui-store';

/** An in-memory Storage (the browser's localStorage API, for node). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  failWrites = false;
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.failWrites) throw Object.assign(new Error('full'), { name: 'QuotaExceededError' });
    this.items.set(key, value);
  }
}

const good: UserSession = {
  tabs: ['INC-2QWQVHHB3K82', 'REQ-2QWQVHHB3K83'],
  activeTab: 'REQ-2QWQVHHB3K83',
  viewId: 'custom-printers',
  drafts: {
    'INC-2QWQVHHB3K82': { mode: 'work-note', body: 'Called the user, **no answer**.' },
    'REQ-2QWQVHHB3K83': { mode: 'reply', body: 'Your laptop is ready.' },
  },
};

describe('stored user session', () => {
  it('reads back what was written', () => {
    expect(parseUserSession(JSON.parse(serializeUserSession(good)))).toEqual(good);
    const storage = new MemoryStorage();
    expect(writeUserSession(storage, 'agent1', good)).toBe(true);
    expect(readUserSession(storage, 'agent1')).toEqual(good);
  });

  it('keeps each user under a key of their own', () => {
    const storage = new MemoryStorage();
    writeUserSession(storage, 'agent1', good);
    expect(readUserSession(storage, 'agent2')).toEqual(EMPTY_USER_SESSION);
    expect(userSessionKey('agent1')).not.toBe(userSessionKey('agent2'));
    // A name that looks like a path or another key stays its own key.
    expect(userSessionKey('a/b')).not.toBe(userSessionKey('a.b'));
  });

  it('gives the empty session for text that is not JSON, another version or not an object', () => {
    const storage = new MemoryStorage();
    for (const text of ['{', 'null', '42', '"x"', '[]', '{"v":2,"tabs":["INC-1"]}', '{}']) {
      storage.setItem(userSessionKey('u'), text);
      expect(readUserSession(storage, 'u')).toEqual(EMPTY_USER_SESSION);
    }
  });

  it('drops each bad field and keeps the good ones', () => {
    const s = parseUserSession({
      v: 1,
      tabs: ['INC-2QWQVHHB3K82', 42, '<script>', 'INC-2QWQVHHB3K82', null, 'CHG-ABC'],
      activeTab: 'PRB-NOTATAB',
      viewId: 'Not A View!',
      drafts: {
        'INC-2QWQVHHB3K82': { mode: 'work-note', body: 'kept' },
        'REQ-1': { mode: 'shout', body: 'bad mode' },
        'CHG-1': { mode: 'reply', body: 7 },
        'PRB-1': { mode: 'reply', body: '   ' },
        'not a number': { mode: 'reply', body: 'bad key' },
        'WO-1': 'not an object',
        'WO-2': { mode: 'reply', body: 'x'.repeat(MAX_DRAFT_CHARS + 1) },
      },
    });
    expect(s).toEqual({
      tabs: ['INC-2QWQVHHB3K82', 'CHG-ABC'],
      activeTab: null,
      viewId: null,
      drafts: { 'INC-2QWQVHHB3K82': { mode: 'work-note', body: 'kept' } },
    });
  });

  it('keeps a __proto__ key as data, never as the prototype', () => {
    const s = parseUserSession(
      JSON.parse('{"v":1,"drafts":{"__proto__":{"mode":"reply","body":"x"}}}'),
    );
    expect(Object.getPrototypeOf(s.drafts)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).mode).toBeUndefined();
  });

  it('bounds what is kept: the newest tabs and the first drafts', () => {
    const tabs = Array.from({ length: 20 }, (_, i) => `INC-T${i}`);
    const drafts = Object.fromEntries(
      Array.from({ length: MAX_DRAFTS + 10 }, (_, i) => [
        `INC-D${i}`,
        { mode: 'reply', body: 'x' },
      ]),
    );
    const s = parseUserSession({ v: 1, tabs, activeTab: 'INC-T19', drafts });
    expect(s.tabs).toEqual(tabs.slice(-MAX_STORED_TABS));
    expect(s.activeTab).toBe('INC-T19');
    expect(Object.keys(s.drafts)).toHaveLength(MAX_DRAFTS);
  });

  it('never throws on any stored value, and what it returns is valid', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            v: fc.constantFrom(1, 2, '1'),
            tabs: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
            activeTab: fc.jsonValue(),
            viewId: fc.oneof(fc.string(), fc.jsonValue()),
            drafts: fc.oneof(
              fc.dictionary(
                fc.string(),
                fc.record({ mode: fc.constantFrom('reply', 'work-note', 'x'), body: fc.string() }),
              ),
              fc.jsonValue(),
            ),
          }),
        ),
        (raw) => {
          const s = parseUserSession(raw);
          expect(s.tabs.length).toBeLessThanOrEqual(MAX_STORED_TABS);
          if (s.activeTab !== null) expect(s.tabs).toContain(s.activeTab);
          for (const d of Object.values(s.drafts)) {
            expect(['reply', 'work-note']).toContain(d.mode);
            expect(d.body.trim()).not.toBe('');
          }
          // What is valid survives its own round trip unchanged.
          expect(parseUserSession(JSON.parse(serializeUserSession(s)))).toEqual(s);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reports a failed write instead of throwing', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    expect(writeUserSession(storage, 'agent1', good)).toBe(false);
  });
});

describe('the console store, per user', () => {
  it('restores a user, stores their changes, and shows the next user only their own', () => {
    const storage = new MemoryStorage();
    const stopA = startUserSession('agent1', storage);
    const ui = () => useUi.getState();
    ui().openTicket('INC-AAA');
    ui().openTicket('INC-BBB');
    ui().setDraft('INC-AAA', { mode: 'work-note', body: 'half a note' });
    ui().showView('custom-mine');
    stopA();
    // Signed out: nothing of agent1's is left in memory.
    expect(ui().tabs).toEqual([]);
    expect(ui().drafts).toEqual({});

    const stopB = startUserSession('agent2', storage);
    expect(ui().tabs).toEqual([]);
    expect(ui().drafts).toEqual({});
    expect(ui().viewId).toBe(useUi.getInitialState().viewId);
    ui().openTicket('CHG-CCC');
    stopB();

    startUserSession('agent1', storage)();
    const again = startUserSession('agent1', storage);
    expect(ui().tabs).toEqual(['INC-AAA', 'INC-BBB']);
    expect(ui().activeTab).toBe('INC-BBB');
    expect(ui().viewId).toBe('custom-mine');
    expect(ui().drafts).toEqual({ 'INC-AAA': { mode: 'work-note', body: 'half a note' } });
    // Sent (or discarded): the draft is gone from storage too.
    ui().setDraft('INC-AAA', null);
    again();
    expect(readUserSession(storage, 'agent1').drafts).toEqual({});
    expect(readUserSession(storage, 'agent2').tabs).toEqual(['CHG-CCC']);
  });

  it('starts from empty when the stored session is garbage', () => {
    const storage = new MemoryStorage();
    storage.setItem(userSessionKey('agent1'), '{"v":1,"tabs":"INC-1","drafts":[1,2]}');
    const stop = startUserSession('agent1', storage);
    expect(useUi.getState().tabs).toEqual([]);
    expect(useUi.getState().drafts).toEqual({});
    stop();
  });
});
