/**
 * Property-based fuzzing (fast-check) of documents arriving from the server: the client's
 * checks (`validateTicket`, `validateActivity`) and the server's `validate_doc_update` entry
 * never throw on any value, and they agree: what one accepts as a new ticket, the other does.
 * Replay a failure with the seed and path fast-check prints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateActivity, validateTicket } from '../../../shared/domain';
import { mutatedTicket } from '../../support/arbitraries';
import { validate } from '../../../server/src/design/validate-entry';
import { attachmentDocError, validateAttachmentWrite } from '../../../shared/field/attachments';
import { presenceWriteError } from '../../../shared/presence/presence';

// Documents reach the client and the server as parsed JSON, so JSON values are the domain.
const anyValue = fc.jsonValue();
const roles = fc.subarray(['_admin', 'admin', 'supervisor', 'agent', 'technician', 'requester']);
const userCtx = fc.record({ name: fc.option(fc.string(), { nil: null }), roles });

describe('documents from the server, fuzzed', () => {
  it('validateTicket never throws, and every refusal says why', () => {
    fc.assert(
      fc.property(fc.oneof(anyValue, mutatedTicket), (doc) => {
        const r = validateTicket(doc);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(typeof e === 'string' && e.length > 0).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('the client and the server agree on what a well-formed ticket is', () => {
    fc.assert(
      fc.property(mutatedTicket, (doc) => {
        const client = validateTicket(doc);
        const { number, ...body } = doc;
        const server = validate(
          'tickets',
          { ...body, _id: String(number) },
          null,
          // A server admin: only the shape rules apply, not who may write what.
          { name: 'admin', roles: ['_admin'] },
        );
        expect(server.ok).toBe(client.ok);
      }),
      { numRuns: 1000 },
    );
  });

  it('validateActivity never throws on any value', () => {
    const entry = fc.record(
      {
        id: fc.string(),
        ticketNumber: fc.oneof(fc.string(), anyValue),
        type: fc.oneof(fc.constantFrom('work-note', 'reply', 'conflict', 'field-change'), anyValue),
        at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          anyValue,
        ),
        by: fc.oneof(fc.string(), anyValue),
        schemaVersion: fc.oneof(fc.constant(1), anyValue),
        body: fc.oneof(fc.string({ maxLength: 30000 }), anyValue),
        data: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(anyValue, entry), (doc) => {
        const r = validateActivity(doc);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("the server's validate_doc_update only ever answers ok or a reason, for every database", () => {
    type Db = 'tickets' | 'activity' | 'directory' | 'presence' | 'attachments';
    const kinds = fc.constantFrom<Db>(
      'tickets',
      'activity',
      'directory',
      'presence',
      'attachments',
    );
    const couchDoc = fc
      .tuple(
        fc.oneof(fc.string(), fc.constantFrom('_design/x', 'presence:alice', 'INC-1')),
        fc.oneof(mutatedTicket, fc.dictionary(fc.string(), anyValue)),
        fc.boolean(),
      )
      .map(([id, body, deleted]) => ({ ...body, _id: id, ...(deleted ? { _deleted: true } : {}) }));
    fc.assert(
      fc.property(kinds, couchDoc, fc.option(couchDoc, { nil: null }), userCtx, (k, n, o, u) => {
        const v = validate(k, n, o, u);
        if (!v.ok) expect(typeof v.reason === 'string' && v.reason.length > 0).toBe(true);
        if (!u.name && !u.roles.includes('_admin')) expect(v.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('attachment and presence rules never throw and refuse with a sentence', () => {
    const doc = fc
      .dictionary(fc.constantFrom('ticketNumber', 'name', 'type', 'size', 'by', 'at'), anyValue)
      .map((d) => ({ ...d, _id: 'att:1' }));
    fc.assert(
      fc.property(doc, fc.option(doc, { nil: null }), fc.string(), (n, o, user) => {
        const e1 = attachmentDocError(n);
        const e2 = validateAttachmentWrite(n, o, user);
        const e3 = presenceWriteError(n, user);
        for (const e of [e1, e2, e3]) if (e !== null) expect(e.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
