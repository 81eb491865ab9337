import { describe, expect, it } from 'vitest';
import {
  PRESENCE_TTL_MS,
  onlineUsers,
  othersOn,
  presenceWriteError,
  toPresence,
  type Presence,
} from '../../../../shared/presence/presence';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const at = (msAgo: number) => new Date(NOW - msAgo).toISOString();
const p = (user: string, ticketNumber: string | null, editing: boolean, msAgo = 0): Presence => ({
  user,
  ticketNumber,
  editing,
  at: at(msAgo),
});

describe('presence', () => {
  it('lists the others on a ticket, editors first, without me and without stale reports', () => {
    const reports = [
      p('me', 'INC-1', true),
      p('zoe', 'INC-1', false),
      p('bob', 'INC-1', true),
      p('old', 'INC-1', true, PRESENCE_TTL_MS + 1),
      p('ann', 'INC-2', false),
    ];
    expect(othersOn(reports, 'INC-1', 'me', NOW).map((x) => x.user)).toEqual(['bob', 'zoe']);
    expect([...onlineUsers(reports, NOW)].sort()).toEqual(['ann', 'bob', 'me', 'zoe']);
  });

  it('reads only well-formed reports', () => {
    expect(toPresence({ user: 'a', ticketNumber: null, editing: false, at: at(0) })).not.toBeNull();
    expect(toPresence({ user: 'a', ticketNumber: 5, editing: false, at: at(0) })).toBeNull();
    expect(toPresence({ user: 'a', ticketNumber: null, editing: 'yes', at: at(0) })).toBeNull();
    expect(toPresence({ user: 'a', ticketNumber: null, editing: false, at: 'soon' })).toBeNull();
    expect(toPresence(null)).toBeNull();
  });

  it('allows a person to write only their own document', () => {
    const doc = { _id: 'presence:a', user: 'a', ticketNumber: 'INC-1', editing: false, at: at(0) };
    expect(presenceWriteError(doc, 'a')).toBeNull();
    expect(presenceWriteError(doc, 'b')).toMatch(/own presence/);
    expect(presenceWriteError({ ...doc, user: 'b' }, 'a')).toMatch(/own presence/);
    expect(presenceWriteError({ _id: 'presence:a', _deleted: true }, 'a')).toBeNull();
    expect(presenceWriteError({ _id: 'presence:a' }, 'a')).toMatch(/needs user/);
    expect(presenceWriteError({ ...doc, ticketNumber: 'X'.repeat(41) }, 'a')).toMatch(/too long/);
  });
});
