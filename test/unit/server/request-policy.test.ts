import { describe, expect, it } from 'vitest';
import { decide, MAX_BODY_BYTES } from '../../../server/src/embedded/request-policy';

describe('gateway request policy', () => {
  it.each([
    ['GET', '/', 'public'],
    ['POST', '/_session', 'public'],
    ['GET', '/_session', 'public'],
    ['GET', '/sb_tickets', 'authenticated'],
    ['GET', '/sb_tickets/_changes?feed=longpoll', 'authenticated'],
  ] as const)('%s %s is %s', (method, url, kind) => {
    expect(decide(method, url, 0).kind).toBe(kind);
  });

  it.each([
    ['GET', '/_all_dbs'],
    ['GET', '/_config'],
    ['PUT', '/newdb'],
    ['DELETE', '/sb_tickets'],
    ['PUT', '/sb_tickets/_security'],
    ['PUT', '/sb_tickets/_design/x'],
    ['POST', '/sb_tickets/_design/x'],
    ['POST', '/sb_tickets/_design/x/_view'],
    ['PUT', '/sb_tickets/_design/x/_view/by_ci'],
    ['GET', '/_users/_all_docs'],
    ['PUT', '/_users/org.couchdb.user:bob/extra'],
  ] as const)('%s %s is admin-only', (method, url) => {
    const d = decide(method, url, 0);
    expect(d).toMatchObject({ kind: 'authenticated', adminOnly: true });
  });

  it('lets members query a view with POST (keys in the body), which writes nothing', () => {
    expect(decide('POST', '/sb_tickets/_design/switchboard/_view/by_ci', 100)).toMatchObject({
      kind: 'authenticated',
      adminOnly: false,
    });
  });

  it('lets a user read and update only their own _users document', () => {
    expect(decide('GET', '/_users/org.couchdb.user:alice', 0)).toMatchObject({
      adminOnly: false,
      ownUserDoc: 'alice',
    });
    expect(decide('DELETE', '/_users/org.couchdb.user:alice', 0)).toMatchObject({
      adminOnly: true,
    });
  });

  it('refuses the requests that crash PouchDB Server, oversized bodies and malformed URLs', () => {
    expect(decide('POST', '/sb_tickets/_changes?filter=_selector', 10)).toMatchObject({
      kind: 'reject',
      status: 400,
    });
    expect(decide('GET', '/sb_tickets/_changes?filter=_selector', 0)).toMatchObject({
      kind: 'reject',
      status: 400,
    });
    expect(decide('PUT', '/sb_tickets/x', MAX_BODY_BYTES + 1)).toMatchObject({
      kind: 'reject',
      status: 413,
    });
    expect(decide('GET', '/sb_tickets/%E0%A4%A', 0)).toMatchObject({ kind: 'reject', status: 400 });
  });

  it('lets only filters known not to crash the engine reach _changes', () => {
    for (const f of ['_view', 'other/filter', 'switchboard/evil', '']) {
      expect(decide('GET', `/sb_tickets/_changes?filter=${f}`, 0)).toMatchObject({
        kind: 'reject',
        status: 400,
      });
    }
    expect(decide('GET', '/sb_tickets/_changes?filter=_doc_ids', 0)).toMatchObject({
      kind: 'authenticated',
    });
  });

  it('allows design-document filters on _changes', () => {
    expect(decide('GET', '/sb_tickets/_changes?filter=switchboard/assigned', 0)).toMatchObject({
      kind: 'authenticated',
      adminOnly: false,
    });
  });
});
