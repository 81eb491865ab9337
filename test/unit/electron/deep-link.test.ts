import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEEP_LINK_MAX_LENGTH,
  formatDeepLink,
  isCanonicalDeepLink,
  parseDeepLink,
} from '../../../shared/ipc/deep-link';
import { eventChannels } from '../../../shared/ipc/contract';
import { CROCKFORD } from '../../../shared/domain/numbering';
import { TICKET_KINDS } from '../../../shared/domain/kinds';

const NUMBER = 'INC-1B2C3D4E5F6G';

// Strings close to valid links, so the property is exercised on both sides of the grammar.
const nearLinks = fc
  .tuple(
    fc.constantFrom('switchboard://', 'SWITCHBOARD://', 'switchboard:/', 'switchboard:', ''),
    fc.constantFrom('ticket/', 'new/', 'Ticket/', 'NEW/', 'ticket', ''),
    fc.oneof(
      fc.constantFrom(NUMBER, NUMBER.toLowerCase(), ...TICKET_KINDS, 'INCIDENT'),
      fc.string({ unit: 'binary', maxLength: 20 }),
    ),
    fc.constantFrom('', '/', '//', '?', '#x', ' ', '%20'),
  )
  .map((parts) => parts.join(''));

describe('parseDeepLink', () => {
  it('accepts the two shapes and canonicalises them', () => {
    expect(parseDeepLink(`switchboard://ticket/${NUMBER}`)).toEqual({
      ok: true,
      link: { action: 'ticket', number: NUMBER },
    });
    expect(parseDeepLink('SWITCHBOARD://Ticket/inc-1b2c3d4e5f6g/')).toEqual({
      ok: true,
      link: { action: 'ticket', number: NUMBER },
    });
    for (const kind of TICKET_KINDS) {
      expect(parseDeepLink(`switchboard://new/${kind}`)).toEqual({
        ok: true,
        link: { action: 'new', kind },
      });
    }
    expect(parseDeepLink('switchboard://new/Incident')).toMatchObject({ ok: true });
  });

  it.each([
    '',
    'switchboard:',
    'switchboard://',
    'switchboard://ticket',
    'switchboard://ticket/',
    `switchboard://ticket/${NUMBER}/extra`,
    `switchboard://ticket/${NUMBER}?x=1`,
    `switchboard://ticket/${NUMBER}#frag`,
    `switchboard://ticket/${NUMBER}//`,
    `switchboard:ticket/${NUMBER}`,
    `switchboard:/ticket/${NUMBER}`,
    `switchboard:///ticket/${NUMBER}`,
    `switchboard://user@ticket/${NUMBER}`,
    `switchboard://ticket:80/${NUMBER}`,
    `switchboard://ticket/%49NC-1B2C3D4E5F6G`,
    `switchboard://ticket/ ${NUMBER}`,
    `switchboard://ticket/${NUMBER} `,
    ` switchboard://ticket/${NUMBER}`,
    `switchboard://ticket/${NUMBER}\n`,
    `switchboard://ticket/${NUMBER}\u0000`,
    'switchboard://ticket/INC-1B2C3D4E5F6I', // I is not Crockford
    'switchboard://ticket/INC-1B2C3D4E5F6',
    'switchboard://ticket/XYZ-1B2C3D4E5F6G',
    'switchboard://ticket/../../etc/passwd',
    'switchboard://new/',
    'switchboard://new/incidents',
    'switchboard://new/__proto__',
    'switchboard://new/constructor',
    'switchboard://delete/INC-1B2C3D4E5F6G',
    'switchboard://open?url=https://evil.example',
    'https://switchboard/ticket/INC-1B2C3D4E5F6G',
    'javascript:alert(1)//switchboard://ticket/INC-1B2C3D4E5F6G',
    'switchboard://ticket/INC-1B2C3D4E5F6G\u202e',
    'switchboard://ｔicket/INC-1B2C3D4E5F6G',
    '--inspect=9229',
    `switchboard://new/${'a'.repeat(DEEP_LINK_MAX_LENGTH)}`,
  ])('refuses %j', (input) => {
    expect(parseDeepLink(input).ok).toBe(false);
  });

  it('refuses non-strings', () => {
    for (const v of [undefined, null, 42, {}, [`switchboard://new/incident`], Symbol('x')]) {
      expect(parseDeepLink(v).ok).toBe(false);
    }
  });

  it('never throws, and accepts only strings that re-format to themselves modulo case and a trailing slash', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), nearLinks, fc.webUrl(), fc.anything()),
        (v) => {
          const r = parseDeepLink(v);
          if (r.ok) {
            const s = (v as string).replace(/\/$/, '').toLowerCase();
            expect(formatDeepLink(r.link).toLowerCase()).toBe(s);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses any mutation of a valid link that adds characters outside the grammar', () => {
    const bad = fc.constantFrom(...'?#%@:/\\ .\t\n\r\u0000<>"\'`;&=+é'.split(''));
    fc.assert(
      fc.property(fc.nat(40), bad, (at, ch) => {
        const link = `switchboard://ticket/${NUMBER}`;
        const i = 'switchboard://ticket/'.length + (at % (NUMBER.length + 1));
        const mutated = link.slice(0, i) + ch + link.slice(i);
        if (mutated === `${link}/`) return; // the one allowed trailing slash
        expect(parseDeepLink(mutated).ok).toBe(false);
      }),
    );
  });

  it('round-trips every generated ticket number', () => {
    const crockford = fc.constantFrom(...CROCKFORD.split(''));
    fc.assert(
      fc.property(
        fc.constantFrom('INC', 'REQ', 'PRB', 'CHG', 'WO'),
        fc.array(crockford, { minLength: 12, maxLength: 12 }),
        (prefix, chars) => {
          const url = `switchboard://ticket/${prefix}-${chars.join('')}`;
          expect(isCanonicalDeepLink(url)).toBe(true);
        },
      ),
    );
  });
});

describe('deeplink:opened event schema', () => {
  it('carries canonical links only', () => {
    const schema = eventChannels['deeplink:opened'];
    expect(schema.safeParse({ url: `switchboard://ticket/${NUMBER}` }).success).toBe(true);
    expect(schema.safeParse({ url: 'switchboard://ticket/inc-1b2c3d4e5f6g' }).success).toBe(false);
    expect(schema.safeParse({ url: 'https://evil.example/' }).success).toBe(false);
  });
});
