import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';
import { describe, expect, it } from 'vitest';
import {
  parseTicketNumber,
  validateActivityChange,
  validateTicketChange,
} from '../../../../shared/domain';
import { csvRecords, MAX_RECORD_LINES, quoteStateAfter } from '../../../../shared/import/csv-lines';
import { isImportedNumber, parseExternalRef } from '../../../../shared/import/external-ref';
import { nameKey, parseSnDate } from '../../../../shared/import/servicenow';
import type { CsvRecord } from '../../../../shared/import/run-import';
import { incident } from '../domain/fixtures';
import { parseDeepLink } from '../../../../shared/ipc/deep-link';
import { parseWindowRoute } from '../../../../shared/ipc/window-routes';
import { compileFilter } from '../../../../shared/queue/filter';

const CTX = {
  me: 'alice',
  groupIds: [],
  now: Date.parse('2026-03-02T09:00:00.000Z'),
  sla: DEFAULT_SLA_CONFIG,
};

describe('external references', () => {
  it('maps a source number to one valid Switchboard number and back to its kind', () => {
    const r = parseExternalRef('INC0000045');
    expect(r).toEqual({ ref: 'INC0000045', kind: 'incident', number: 'INC-00000000001D' });
    expect(parseTicketNumber(r?.number ?? '').ok).toBe(true);
    expect(isImportedNumber('INC-00000000001D')).toBe(true);
    expect(parseExternalRef('inc0000045')?.number).toBe('INC-00000000001D');
    expect(parseExternalRef('INC0000046')?.number).not.toBe(r?.number);
  });

  it('refuses what is not a source number', () => {
    for (const t of ['INC-00000000001D', 'INC', 'Problem ID 51', 'XYZ0000045', 'INC00000045<'])
      expect(parseExternalRef(t)).toBeNull();
  });
});

describe('ServiceNow dates', () => {
  it('reads d/m/yyyy HH:MM as UTC and refuses impossible dates', () => {
    expect(parseSnDate('29/2/2016 01:16', 'd/m/yyyy')).toBe('2016-02-29T01:16:00.000Z');
    expect(parseSnDate('2/29/2016 01:16', 'm/d/yyyy')).toBe('2016-02-29T01:16:00.000Z');
    expect(parseSnDate('2016-02-29 01:16:05', 'yyyy-mm-dd')).toBe('2016-02-29T01:16:05.000Z');
    expect(parseSnDate('31/2/2016 10:00', 'd/m/yyyy')).toBeNull();
    expect(parseSnDate('29/2/2016 25:00', 'd/m/yyyy')).toBeNull();
    expect(parseSnDate('yesterday', 'd/m/yyyy')).toBeNull();
  });

  it('gives every name one directory key', () => {
    expect(nameKey('Caller 2403')).toBe('sn-caller-2403');
    expect(nameKey('Group/56')).not.toBe(nameKey('Group 56'));
    const long = 'Service Desk Second Line Europe Middle East and Africa';
    expect(nameKey(long)).not.toBe(nameKey(`${long} North`));
    expect(`group:${nameKey(`${long} North`.repeat(3))}`.length).toBeLessThanOrEqual(80);
  });
});

async function records(text: string, chunk = 7): Promise<CsvRecord[]> {
  function* chunks() {
    for (let i = 0; i < text.length; i += chunk) yield { text: text.slice(i, i + chunk) };
  }
  const out: CsvRecord[] = [];
  // A minimal field splitter for the test: the record's text itself.
  for await (const r of csvRecords(chunks(), (t) => [t])) out.push(r);
  return out;
}

describe('CSV records', () => {
  it('knows when a quote opens a field', () => {
    expect(quoteStateAfter('a,"b,c', false)).toBe(true);
    expect(quoteStateAfter('a,b"c,d', false)).toBe(false); // stray quote inside a field
    expect(quoteStateAfter('a,"b""c",d', false)).toBe(false);
    expect(quoteStateAfter('still open",x', true)).toBe(false);
  });

  it('keeps a quoted line break inside one record, numbered by its first line', async () => {
    const r = await records('h1,h2\r\n1,"two\nlines"\n3,4\n');
    expect(r.map((x) => x.line)).toEqual([1, 2, 4]);
    expect(r[1]).toMatchObject({ fields: ['1,"two\nlines"'] });
  });

  it('refuses a line whose quote never closes and reads the lines after it', async () => {
    const body = Array.from({ length: MAX_RECORD_LINES + 5 }, (_, i) => `r${i},x`).join('\n');
    const r = await records(`h\n"broken,x\n${body}\n`);
    expect(r[1]).toMatchObject({ line: 2, error: expect.stringMatching(/never closed/) });
    expect(r.slice(2).map((x) => x.line)).toEqual(
      Array.from({ length: MAX_RECORD_LINES + 5 }, (_, i) => i + 3),
    );
  });

  it('refuses an unclosed quote at the end of the file and keeps the lines after it', async () => {
    const r = await records('h\n"open,x\nlast,y');
    expect(r.map((x) => ('error' in x ? `!${x.line}` : x.line))).toEqual([1, '!2', 3]);
  });
});

describe('imported history on the server', () => {
  const t = { ...incident(), createdBy: 'sn-opened-by-8', imported: { source: 'servicenow' } };
  const admin = { name: 'ada', roles: ['admin'] };
  const agent = { name: 'alice', roles: ['agent'] };

  it('accepts an imported ticket created by someone else from an admin only', () => {
    expect(validateTicketChange(null, t as never, admin)).toEqual({ ok: true });
    expect(validateTicketChange(null, t as never, agent).ok).toBe(false);
    const { imported: _i, ...plain } = t;
    void _i;
    expect(validateTicketChange(null, plain as never, admin).ok).toBe(false);
  });

  it('lets an admin import a state the state machine would not reach in one move', () => {
    // Closed is final: no run of valid moves leaves it, so only an import may reopen it here.
    const old = {
      ...t,
      state: 'closed',
      resolution: { code: 'code 6', notes: 'done' },
      imported: { source: 'servicenow', digest: 'a' },
    };
    const closed = {
      ...t,
      state: 'in-progress',
      resolution: null,
      imported: { source: 'servicenow', digest: 'b' },
    };
    expect(validateTicketChange(old as never, closed as never, admin)).toEqual({ ok: true });
    // An admin's ordinary edit of an imported ticket (same digest) follows the state machine.
    const edited = { ...closed, imported: old.imported };
    expect(validateTicketChange(old as never, edited as never, admin).ok).toBe(false);
    const { imported: _i, ...plain } = closed;
    void _i;
    expect(validateTicketChange(old as never, plain as never, admin).ok).toBe(false);
  });

  it('accepts history by another author from an admin import only', () => {
    const entry = {
      id: 'INC-00000000001D:sn:2:state',
      ticketNumber: 'INC-00000000001D',
      type: 'state-change',
      at: '2016-02-29T08:53:00.000Z',
      by: 'sn-updated-by-642',
      schemaVersion: 1,
      body: 'State: New → Resolved',
      data: {},
      imported: { source: 'servicenow' },
    };
    expect(validateActivityChange(null, entry, admin)).toEqual({ ok: true });
    expect(validateActivityChange(null, entry, agent).ok).toBe(false);
    expect(validateActivityChange(null, { ...entry, imported: { source: '' } }, admin).ok).toBe(
      false,
    );
  });
});

describe('finding an imported ticket by its source number', () => {
  it('opens it from a deep link and a window route', () => {
    expect(parseDeepLink('switchboard://ticket/INC0000045')).toEqual({
      ok: true,
      link: { action: 'ticket', number: 'INC-00000000001D' },
    });
    expect(parseWindowRoute('#/ticket/INC0000045')).toEqual({
      view: 'ticket',
      number: 'INC-00000000001D',
    });
    expect(parseDeepLink('switchboard://ticket/INC0000045x').ok).toBe(false);
  });

  it('matches it in the queue search', () => {
    const t = { ...incident(), imported: { source: 'servicenow', number: 'INC0000045' } };
    expect(compileFilter({ text: 'inc0000045' }, CTX)(t)).toBe(true);
    expect(compileFilter({ text: 'INC0000046' }, CTX)(t)).toBe(false);
  });
});
