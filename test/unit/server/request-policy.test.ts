import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  bodyError,
  canonicalize,
  documentError,
  MAX_KEYS,
  route,
  userDocError,
  type Route,
} from '../../../server/src/embedded/request-policy';

/** The allow-list's verdict for one request: a route, or the refusal's status. */
function decide(method: string, url: string): Route | { status: number } {
  const c = canonicalize(url);
  if ('kind' in c) return c;
  const r = route(method, c);
  return r.kind === 'refuse' ? r : r;
}

const AGENT = { name: 'alice', roles: ['agent'] };
const ADMIN = { name: 'admin', roles: ['_admin'] };

describe('gateway allow-list', () => {
  it.each([
    ['GET', '/', 'public'],
    ['POST', '/_session', 'public'],
    ['GET', '/_session', 'public'],
    ['GET', '/sb_tickets', 'member'],
    ['GET', '/sb_tickets/', 'member'],
    ['GET', '/sb_tickets/_changes?feed=longpoll&since=12&timeout=25000', 'member'],
    ['GET', '/sb_tickets/_changes?filter=switchboard/assigned&assignee=tara', 'member'],
    ['POST', '/sb_tickets/_all_docs?include_docs=true', 'member'],
    ['POST', '/sb_tickets/_bulk_docs', 'member'],
    ['POST', '/sb_tickets/_revs_diff', 'member'],
    ['POST', '/sb_tickets/_bulk_get?revs=true&latest=true', 'member'],
    ['GET', '/sb_tickets/_local/abc_123-x.y', 'member'],
    ['PUT', '/sb_tickets/_local/abc_123-x.y', 'member'],
    ['GET', '/sb_tickets/INC-1?revs=true&open_revs=%5B%221-abc%22%5D&latest=true', 'member'],
    ['POST', '/sb_tickets/_design/switchboard/_view/by_ci', 'member'],
    ['GET', '/sb_attachments/file-1/data', 'member'],
    ['PUT', '/sb_attachments/file-1/data?rev=1-abc', 'member'],
    ['GET', '/_users/org.couchdb.user:alice', 'member'],
    ['PUT', '/_users/org.couchdb.user:alice', 'member'],
    ['GET', '/_all_dbs', 'admin'],
    ['GET', '/_config', 'admin'],
    ['PUT', '/newdb', 'admin'],
    ['DELETE', '/sb_tickets', 'admin'],
    ['PUT', '/sb_tickets/_security', 'admin'],
    ['PUT', '/sb_tickets/_design/x', 'admin'],
    ['GET', '/_users/_all_docs', 'admin'],
    ['DELETE', '/_users/org.couchdb.user:alice', 'admin'],
  ] as const)('%s %s is for %s', (method, url, access) => {
    expect(decide(method, url)).toMatchObject({ access });
  });

  it.each([
    ['GET', '//_all_dbs', 400],
    ['GET', '/%2e%2e/_all_dbs', 400],
    ['GET', '/sb_tickets/..%2f_all_dbs', 400],
    ['GET', '/sb_tickets%2F_all_docs', 400],
    ['GET', '/sb_tickets/%E0%A4%A', 400],
    ['GET', '/sb_tickets/_all_docs?limit=1&limit=2', 400],
    ['GET', '/sb_tickets/_all_docs?limit=100000', 400],
    ['GET', '/sb_tickets/_all_docs?bogus=1', 400],
    ['GET', '/sb_tickets/_changes?filter=_selector', 400],
    ['GET', '/sb_tickets/_changes?filter=_view&view=x/y', 400],
    ['GET', '/sb_tickets/_changes?filter=_doc_ids', 400],
    ['GET', '/sb_tickets/_changes?filter=switchboard/assigned', 400],
    ['GET', '/sb_tickets/_changes?feed=continuous', 400],
    ['GET', '/sb_tickets/_changes?feed=eventsource', 400],
    ['POST', '/sb_tickets/_find', 404],
    ['POST', '/sb_tickets/_index', 404],
    ['DELETE', '/sb_tickets/_index/_design/x/json/y', 404],
    ['PUT', '/sb_tickets/_local/_security', 403],
    ['PUT', '/sb_tickets/_local/mrviews', 403],
    ['GET', '/sb_tickets/_design/missing/_view/x', 400],
    ['GET', '/sb_tickets/_design/switchboard/_show/x', 404],
    ['PUT', '/sb_tickets/INC-1/evil.html', 403],
    ['PUT', '/sb_attachments/file-1/other', 403],
    ['GET', '/sb_tickets/INC-1?attachments=true', 400],
    ['POST', '/_users/_bulk_docs', 403],
    ['POST', '/_replicate', 404],
    ['GET', '/_utils', 404],
  ] as const)('%s %s is refused with %i', (method, url, status) => {
    expect(decide(method, url)).toMatchObject({ status });
  });

  it('forwards a path rebuilt from the checked segments', () => {
    expect(decide('GET', '/sb_tickets/INC%2D1')).toMatchObject({ path: '/sb_tickets/INC-1' });
    expect(decide('GET', '/_users/org.couchdb.user:alice')).toMatchObject({
      path: '/_users/org.couchdb.user%3Aalice',
    });
  });

  it('never lets a non-canonical path through (property)', () => {
    const bad = fc.oneof(
      fc.constantFrom('//', '/./', '/../', '%2f', '%2F', '%5c', '%2e%2e/', '/%2e/'),
    );
    fc.assert(
      fc.property(fc.constantFrom('/sb_tickets', '/_users', ''), bad, fc.string(), (a, b, c) => {
        const url = `${a}${b}${encodeURIComponent(c)}`;
        const r = decide('GET', url.startsWith('/') ? url : `/${url}`);
        return 'status' in r && r.status >= 400;
      }),
    );
  });

  it('checks documents: reserved ids, special fields, attachments, size and key count', () => {
    expect(documentError('sb_tickets', { _id: '_design/x' }, AGENT, undefined)).toMatchObject({
      status: 403,
    });
    expect(documentError('sb_tickets', { _id: '_design/x' }, ADMIN, undefined)).toBeNull();
    expect(documentError('sb_tickets', { _id: '_local/x' }, ADMIN, undefined)).toMatchObject({
      status: 403,
    });
    expect(documentError('sb_tickets', { _id: 'a', _foo: 1 }, AGENT, undefined)).toMatchObject({
      status: 400,
    });
    const inline = {
      _id: 'a',
      _attachments: { data: { content_type: 'text/html', data: 'PA==' } },
    };
    expect(documentError('sb_attachments', inline, AGENT, undefined)).toMatchObject({
      status: 403,
    });
    expect(
      documentError(
        'sb_attachments',
        { _id: 'a', _attachments: { data: { stub: true } } },
        AGENT,
        undefined,
      ),
    ).toBeNull();
    expect(
      documentError(
        'sb_tickets',
        { _id: 'a', _attachments: { data: { stub: true } } },
        AGENT,
        undefined,
      ),
    ).toMatchObject({ status: 403 });
    const wide = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i]));
    expect(documentError('sb_activity', { _id: 'a', ...wide }, AGENT, undefined)).toMatchObject({
      status: 400,
    });
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(documentError('sb_activity', { _id: 'a', deep }, AGENT, undefined)).toMatchObject({
      status: 400,
    });
  });

  it('bounds key lists', () => {
    const r = decide('POST', '/sb_tickets/_all_docs') as Route;
    const keys = Array.from({ length: MAX_KEYS + 1 }, (_, i) => `k${i}`);
    expect(bodyError(r, { keys }, AGENT)).toMatchObject({ status: 400 });
    expect(bodyError(r, { keys: keys.slice(1) }, AGENT)).toBeNull();
  });

  it('applies CouchDB 3’s _users rules to a member’s own document', () => {
    const current = {
      _id: 'org.couchdb.user:alice',
      _rev: '1-a',
      name: 'alice',
      type: 'user',
      roles: ['agent'],
      password_scheme: 'pbkdf2',
      derived_key: 'k',
      salt: 's',
      iterations: 10,
    };
    const id = current._id;
    expect(userDocError(AGENT, id, current, { ...current, password: 'new' })).toBeNull();
    expect(
      userDocError(AGENT, id, current, {
        _id: id,
        _rev: '1-a',
        name: 'alice',
        type: 'user',
        roles: ['agent'],
        password: 'new',
      }),
    ).toBeNull();
    expect(userDocError(AGENT, id, current, { ...current, fullName: 'Alice A.' })).toBeNull();
    expect(userDocError(AGENT, id, current, { ...current, roles: ['admin'] })).toMatchObject({
      status: 403,
    });
    expect(userDocError(AGENT, id, current, { ...current, iterations: 1 })).toMatchObject({
      status: 403,
    });
    expect(userDocError(AGENT, id, current, { ...current, _deleted: true })).toMatchObject({
      status: 403,
    });
    expect(userDocError(AGENT, 'org.couchdb.user:ben', current, current)).toMatchObject({
      status: 403,
    });
    expect(userDocError(AGENT, id, null, current)).toMatchObject({ status: 403 });
  });
});
