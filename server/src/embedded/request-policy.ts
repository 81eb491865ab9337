/**
 * The gateway's allow-list (docs/security.md, "The front door"). PouchDB Server 4.2 trusts far
 * too much (member writes to `_users`, `_local/_security`, mango index endpoints outside the
 * user's context) and crashes or freezes on some requests, so only the request shapes the
 * console, the server's own tools and standard replicators need are let through: a canonical path
 * (one decoding; no `//`, `.`, `..` or encoded separator), a known route with its methods, the
 * query parameters it takes (each checked and bounded) and a body limit. The gateway forwards the
 * path and query rebuilt from what was checked here, so the engine sees exactly what was decided.
 * Pure: no I/O.
 */
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from '../../../shared/field/attachments';

/** Largest JSON document accepted (CouchDB 3's default `max_document_size`). */
export const MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;
/** Largest `_bulk_docs` body (each document in it is still at most MAX_DOCUMENT_BYTES). */
export const MAX_BULK_BYTES = 32 * 1024 * 1024;
/** Largest request body of any kind: nothing is read past this, chunked or not. */
export const MAX_BODY_BYTES = MAX_BULK_BYTES;
/** Most documents in one `_bulk_docs`, keys in one query, ids in one `_revs_diff`/`_bulk_get`. */
export const MAX_KEYS = 2_000;
/** Largest `limit` and `skip`. */
export const MAX_LIMIT = 10_000;
/** Longest long-poll wait the gateway holds (CouchDB's default `changes_timeout`). */
export const MAX_LONGPOLL_MS = 60_000;
/** Most keys (at any depth) in one document, and its deepest nesting. */
export const MAX_DOC_KEYS = 20_000;
export const MAX_DOC_DEPTH = 32;
/** Largest `_local` document (replication checkpoints are a few hundred bytes). */
export const MAX_LOCAL_BYTES = 64 * 1024;
const SMALL_BODY = 64 * 1024;
const QUERY_BODY = 1024 * 1024;

export type Refusal = {
  readonly kind: 'refuse';
  readonly status: number;
  readonly error: string;
  readonly reason: string;
};

export type Canonical = {
  readonly segments: readonly string[];
  readonly query: ReadonlyMap<string, string>;
};

/** Who may call a route: anyone, any signed-in user, or server admins (`_admin`). */
export type Access = 'public' | 'member' | 'admin';

export type RouteKind =
  | 'root'
  | 'up'
  | 'session'
  | 'uuids'
  | 'all_dbs'
  | 'config'
  | 'db'
  | 'changes'
  | 'all_docs'
  | 'bulk_docs'
  | 'bulk_get'
  | 'revs_diff'
  | 'ensure_full_commit'
  | 'security'
  | 'revs_limit'
  | 'compact'
  | 'doc'
  | 'local'
  | 'design'
  | 'view'
  | 'attachment'
  | 'user_doc';

/** How a route's body is read and checked. */
export type BodyKind = 'none' | 'json' | 'binary' | 'session';

export type Route = {
  readonly kind: RouteKind;
  readonly access: Access;
  readonly db?: string;
  readonly docId?: string;
  readonly attachment?: string;
  readonly body: BodyKind;
  readonly maxBody: number;
  /** The path to forward: the checked segments, each encoded once. */
  readonly path: string;
  /** The query to forward (without what the gateway handles itself), or refusal. */
  readonly params: ReadonlyMap<string, string>;
};

const DB_NAME = /^[a-z][a-z0-9_$()+-]{0,127}$/;
const REV = /^\d{1,10}-[0-9a-zA-Z]{1,64}$/;
const SEQ = /^(now|[0-9A-Za-z_.-]{1,400})$/;
const LOCAL_ID = /^[A-Za-z0-9][A-Za-z0-9._=+-]{0,199}$/;
// The engine keeps each database's security object as `_local/_security` and its indexes'
// bookkeeping as `_local/mrviews`, ...: never writable through `_local`.
const RESERVED_LOCAL = new Set(['mrviews', 'compaction', 'lastSeq']);

function refuse(status: number, error: string, reason: string): Refusal {
  return { kind: 'refuse', status, error, reason };
}

/**
 * Parses a request target once: path segments decoded once each, refusing empty segments
 * (`//`), dot segments, encoded separators, control characters, fragments and duplicate
 * query parameters.
 */
export function canonicalize(rawUrl: string): Canonical | Refusal {
  if (!rawUrl.startsWith('/') || rawUrl.startsWith('//'))
    return refuse(400, 'bad_request', 'The path must be absolute and not start with //.');
  if (rawUrl.length > 8192) return refuse(414, 'uri_too_long', 'The URL is too long.');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f\\#]/.test(rawUrl))
    return refuse(400, 'bad_request', 'The URL has characters a canonical URL never has.');
  const q = rawUrl.indexOf('?');
  const pathPart = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const queryPart = q === -1 ? '' : rawUrl.slice(q + 1);
  let parts = pathPart.slice(1).split('/');
  if (parts.length === 1 && parts[0] === '') parts = [];
  // `GET /db/` is how PouchDB asks for a database's information.
  if (parts.length === 2 && parts[1] === '' && parts[0] !== '') parts = [parts[0]!];
  const segments: string[] = [];
  for (const p of parts) {
    if (p === '') return refuse(400, 'bad_request', 'Empty path segment (//).');
    let s: string;
    try {
      s = decodeURIComponent(p);
    } catch {
      return refuse(400, 'bad_request', 'Malformed percent-encoding in the path.');
    }
    if (s === '.' || s === '..') return refuse(400, 'bad_request', 'Dot segments are refused.');
    // eslint-disable-next-line no-control-regex
    if (/[/\\\x00-\x1f\x7f]/.test(s))
      return refuse(400, 'bad_request', 'Encoded separators or control characters in the path.');
    segments.push(s);
  }
  const query = new Map<string, string>();
  if (queryPart !== '') {
    for (const pair of queryPart.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      let k: string;
      let v: string;
      try {
        k = decodeURIComponent((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
        v = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
      } catch {
        return refuse(400, 'bad_request', 'Malformed percent-encoding in the query.');
      }
      if (query.has(k)) return refuse(400, 'bad_request', `Query parameter ${k} given twice.`);
      query.set(k, v);
    }
  }
  return { segments, query };
}

type ParamRule = (v: string) => boolean;
const bool: ParamRule = (v) => v === 'true' || v === 'false';
const int =
  (min: number, max: number): ParamRule =>
  (v) =>
    /^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max;
const str =
  (max: number): ParamRule =>
  (v) =>
    v.length <= max;
const oneOf =
  (...xs: string[]): ParamRule =>
  (v) =>
    xs.includes(v);
const jsonValue =
  (max: number): ParamRule =>
  (v) => {
    if (v.length > max) return false;
    try {
      JSON.parse(v);
      return true;
    } catch {
      return false;
    }
  };
const jsonStrings =
  (maxItems: number, item: (s: string) => boolean = (s) => s.length <= 300): ParamRule =>
  (v) => {
    try {
      const a: unknown = JSON.parse(v);
      return (
        Array.isArray(a) &&
        a.length <= maxItems &&
        a.every((x): x is string => typeof x === 'string' && item(x))
      );
    } catch {
      return false;
    }
  };

const KEY_PARAMS: Record<string, ParamRule> = {
  include_docs: bool,
  conflicts: bool,
  limit: int(0, MAX_LIMIT),
  skip: int(0, MAX_LIMIT),
  descending: bool,
  inclusive_end: bool,
  key: jsonValue(2000),
  startkey: jsonValue(2000),
  endkey: jsonValue(2000),
  start_key: jsonValue(2000),
  end_key: jsonValue(2000),
  startkey_docid: str(300),
  endkey_docid: str(300),
  start_key_doc_id: str(300),
  end_key_doc_id: str(300),
  keys: jsonStrings(MAX_KEYS),
  update_seq: bool,
};
const CHANGES_PARAMS: Record<string, ParamRule> = {
  style: oneOf('all_docs', 'main_only'),
  include_docs: bool,
  conflicts: bool,
  since: (v) => SEQ.test(v),
  limit: int(0, MAX_LIMIT),
  feed: oneOf('normal', 'longpoll'),
  timeout: int(0, 10 * MAX_LONGPOLL_MS),
  heartbeat: int(0, 10 * MAX_LONGPOLL_MS),
  filter: str(100),
  doc_ids: jsonStrings(MAX_KEYS),
  assignee: str(100),
  descending: bool,
  seq_interval: int(1, MAX_LIMIT),
};
const DOC_GET_PARAMS: Record<string, ParamRule> = {
  rev: (v) => REV.test(v),
  revs: bool,
  revs_info: bool,
  open_revs: (v) => v === 'all' || jsonStrings(MAX_KEYS, (s) => REV.test(s))(v),
  latest: bool,
  conflicts: bool,
  deleted_conflicts: bool,
  local_seq: bool,
  meta: bool,
};
const ATTACHMENT_PARAMS: Record<string, ParamRule> = {
  attachments: bool,
  att_encoding_info: bool,
  atts_since: jsonStrings(100, (s) => REV.test(s)),
  binary: bool,
};
const REV_ONLY: Record<string, ParamRule> = { rev: (v) => REV.test(v) };

/** True for the database that holds files (the model's only attachments). */
export const isAttachmentsDb = (db: string): boolean => db.endsWith('attachments');

/** The `_changes` filters that cannot crash the engine, and where each applies. */
function changesFilterError(db: string, q: ReadonlyMap<string, string>, method: string) {
  const filter = q.get('filter');
  if (filter === undefined) return null;
  if (filter === '_doc_ids') {
    return q.has('doc_ids') || method === 'POST'
      ? null
      : 'filter=_doc_ids needs doc_ids (in the query, or the body of a POST).';
  }
  if (filter === 'switchboard/assigned' && db.endsWith('tickets'))
    return q.has('assignee') ? null : 'filter=switchboard/assigned needs assignee.';
  if (filter === 'switchboard/workorders' && db.endsWith('activity')) return null;
  return `filter=${filter} is not supported by the embedded server here; use _doc_ids, switchboard/assigned (tickets) or switchboard/workorders (activity).`;
}

/** Views members may query: design document and view name per kind of database. */
const VIEWS: readonly {
  readonly dbSuffix: string;
  readonly ddoc: string;
  readonly view: string;
}[] = [{ dbSuffix: 'tickets', ddoc: 'switchboard', view: 'by_ci' }];

const enc = (segments: readonly string[]): string =>
  '/' + segments.map((s) => encodeURIComponent(s)).join('/');

type Spec = {
  kind: RouteKind;
  access: Access;
  body?: BodyKind;
  maxBody?: number;
  params?: Record<string, ParamRule>;
  db?: string;
  docId?: string;
  attachment?: string;
  /** Path segments to forward (defaults to the request's). */
  forward?: readonly string[];
};

const METHOD_NOT_ALLOWED = (m: string) =>
  refuse(405, 'method_not_allowed', `${m} is not allowed here.`);
const NOT_HERE = refuse(404, 'not_found', 'No such endpoint on this server.');

/**
 * Matches one request against the allow-list. `method` is upper case. The result names who may
 * call it; the gateway authenticates, then reads the body within `maxBody`.
 */
export function route(method: string, c: Canonical): Route | Refusal {
  const spec = match(method, c.segments);
  if ('status' in spec) return spec;
  const rules = spec.params ?? {};
  const params = new Map<string, string>();
  for (const [k, v] of c.query) {
    // CouchDB's other feeds hold a response open for ever (continuous) or stream events; the
    // gateway serves neither, and says which feeds it does.
    if (spec.kind === 'changes' && k === 'feed' && v !== 'normal' && v !== 'longpoll')
      return refuse(
        400,
        'bad_request',
        `feed=${v.slice(0, 40)} is not served by this server; the supported feeds are normal and longpoll (continuous and eventsource are not).`,
      );
    const rule = rules[k];
    if (!rule) return refuse(400, 'bad_request', `Query parameter ${k} is not accepted here.`);
    if (!rule(v))
      return refuse(400, 'bad_request', `Query parameter ${k}=${v.slice(0, 80)} is out of bounds.`);
    params.set(k, v);
  }
  if (spec.kind === 'changes') {
    const e = changesFilterError(spec.db ?? '', params, method);
    if (e) return refuse(400, 'bad_request', e);
  }
  if (
    (spec.kind === 'doc' || spec.kind === 'bulk_get') &&
    !isAttachmentsDb(spec.db ?? '') &&
    (params.has('attachments') || params.has('atts_since'))
  )
    return refuse(400, 'bad_request', 'Only the attachments database has attachments.');
  return {
    kind: spec.kind,
    access: spec.access,
    body: spec.body ?? 'none',
    maxBody: spec.body === undefined || spec.body === 'none' ? 0 : (spec.maxBody ?? SMALL_BODY),
    path: enc(spec.forward ?? c.segments),
    params,
    ...(spec.db !== undefined ? { db: spec.db } : {}),
    ...(spec.docId !== undefined ? { docId: spec.docId } : {}),
    ...(spec.attachment !== undefined ? { attachment: spec.attachment } : {}),
  };
}

function match(method: string, s: readonly string[]): Spec | Refusal {
  const read = method === 'GET' || method === 'HEAD';
  const [first = '', second, third, fourth, fifth] = s;
  if (s.length === 0) return read ? { kind: 'root', access: 'public' } : METHOD_NOT_ALLOWED(method);
  if (first === '_up' && s.length === 1)
    return read ? { kind: 'up', access: 'public' } : METHOD_NOT_ALLOWED(method);
  if (first === '_session' && s.length === 1) {
    if (read) return { kind: 'session', access: 'public', params: { basic: bool } };
    if (method === 'POST')
      return { kind: 'session', access: 'public', body: 'session', maxBody: 4096 };
    if (method === 'DELETE') return { kind: 'session', access: 'public' };
    return METHOD_NOT_ALLOWED(method);
  }
  if (first === '_uuids' && s.length === 1)
    return read
      ? { kind: 'uuids', access: 'member', params: { count: int(1, 100) } }
      : METHOD_NOT_ALLOWED(method);
  if (first === '_all_dbs' && s.length === 1)
    return read ? { kind: 'all_dbs', access: 'admin' } : METHOD_NOT_ALLOWED(method);
  if (first === '_config' && s.length <= 3)
    return read ? { kind: 'config', access: 'admin' } : METHOD_NOT_ALLOWED(method);
  if (first === '_users') return matchUsers(method, s);
  if (!DB_NAME.test(first)) return NOT_HERE;
  const db = first;
  if (s.length === 1) {
    if (read) return { kind: 'db', access: 'member', db };
    if (method === 'PUT' || method === 'DELETE') return { kind: 'db', access: 'admin', db };
    return METHOD_NOT_ALLOWED(method);
  }
  const sub = second!;
  if (s.length === 2 && sub.startsWith('_')) {
    switch (sub) {
      case '_changes':
        if (read) return { kind: 'changes', access: 'member', db, params: CHANGES_PARAMS };
        if (method === 'POST')
          return {
            kind: 'changes',
            access: 'member',
            db,
            params: CHANGES_PARAMS,
            body: 'json',
            maxBody: QUERY_BODY,
          };
        return METHOD_NOT_ALLOWED(method);
      case '_all_docs':
        if (read) return { kind: 'all_docs', access: 'member', db, params: KEY_PARAMS };
        if (method === 'POST')
          return {
            kind: 'all_docs',
            access: 'member',
            db,
            params: KEY_PARAMS,
            body: 'json',
            maxBody: QUERY_BODY,
          };
        return METHOD_NOT_ALLOWED(method);
      case '_bulk_docs':
        return method === 'POST'
          ? { kind: 'bulk_docs', access: 'member', db, body: 'json', maxBody: MAX_BULK_BYTES }
          : METHOD_NOT_ALLOWED(method);
      case '_bulk_get':
        return method === 'POST'
          ? {
              kind: 'bulk_get',
              access: 'member',
              db,
              body: 'json',
              maxBody: QUERY_BODY,
              params: { revs: bool, latest: bool, attachments: bool },
            }
          : METHOD_NOT_ALLOWED(method);
      case '_revs_diff':
        return method === 'POST'
          ? { kind: 'revs_diff', access: 'member', db, body: 'json', maxBody: MAX_DOCUMENT_BYTES }
          : METHOD_NOT_ALLOWED(method);
      case '_ensure_full_commit':
        return method === 'POST'
          ? { kind: 'ensure_full_commit', access: 'member', db, body: 'json', maxBody: 16 }
          : METHOD_NOT_ALLOWED(method);
      case '_security':
        if (read) return { kind: 'security', access: 'member', db };
        if (method === 'PUT') return { kind: 'security', access: 'admin', db, body: 'json' };
        return METHOD_NOT_ALLOWED(method);
      case '_revs_limit':
        if (read) return { kind: 'revs_limit', access: 'admin', db };
        if (method === 'PUT')
          return { kind: 'revs_limit', access: 'admin', db, body: 'json', maxBody: 16 };
        return METHOD_NOT_ALLOWED(method);
      case '_compact':
        return method === 'POST'
          ? { kind: 'compact', access: 'admin', db, body: 'json', maxBody: 16 }
          : METHOD_NOT_ALLOWED(method);
      default:
        return NOT_HERE;
    }
  }
  if (sub === '_local') {
    if (s.length !== 3 || !LOCAL_ID.test(third!) || RESERVED_LOCAL.has(third!))
      return refuse(403, 'forbidden', 'This _local document is reserved for the server.');
    const spec = { kind: 'local', access: 'member', db, docId: `_local/${third!}` } as const;
    if (read) return { ...spec, params: REV_ONLY };
    if (method === 'PUT') return { ...spec, body: 'json', maxBody: MAX_LOCAL_BYTES };
    if (method === 'DELETE') return { ...spec, params: REV_ONLY };
    return METHOD_NOT_ALLOWED(method);
  }
  if (sub === '_design') {
    if (third === undefined || !/^[A-Za-z0-9_-]{1,100}$/.test(third)) return NOT_HERE;
    const docId = `_design/${third}`;
    if (s.length === 3) {
      if (read) return { kind: 'design', access: 'member', db, docId, params: REV_ONLY };
      if (method === 'PUT')
        return {
          kind: 'design',
          access: 'admin',
          db,
          docId,
          body: 'json',
          maxBody: MAX_DOCUMENT_BYTES,
        };
      if (method === 'DELETE')
        return { kind: 'design', access: 'admin', db, docId, params: REV_ONLY };
      return METHOD_NOT_ALLOWED(method);
    }
    if (s.length === 5 && fourth === '_view') {
      const known = VIEWS.some(
        (v) => db.endsWith(v.dbSuffix) && v.ddoc === third && v.view === fifth,
      );
      if (!known) return refuse(400, 'bad_request', 'No such view on this database.');
      const params = { ...KEY_PARAMS, reduce: oneOf('false') };
      if (read) return { kind: 'view', access: 'member', db, docId, params };
      if (method === 'POST')
        return {
          kind: 'view',
          access: 'member',
          db,
          docId,
          params,
          body: 'json',
          maxBody: QUERY_BODY,
        };
      return METHOD_NOT_ALLOWED(method);
    }
    return refuse(
      404,
      'not_found',
      'Design-function endpoints (_show, _list, _update, _rewrite, _info) are not served.',
    );
  }
  if (sub.startsWith('_')) return NOT_HERE;
  const docId = sub;
  if (docId.length > 250)
    return refuse(400, 'bad_request', 'Document ids are at most 250 characters.');
  if (s.length === 2) {
    if (read)
      return {
        kind: 'doc',
        access: 'member',
        db,
        docId,
        params: { ...DOC_GET_PARAMS, ...ATTACHMENT_PARAMS },
      };
    if (method === 'PUT')
      return {
        kind: 'doc',
        access: 'member',
        db,
        docId,
        params: { rev: REV_ONLY.rev!, new_edits: bool },
        body: 'json',
        maxBody: MAX_DOCUMENT_BYTES,
      };
    if (method === 'DELETE') return { kind: 'doc', access: 'member', db, docId, params: REV_ONLY };
    return METHOD_NOT_ALLOWED(method);
  }
  if (s.length === 3) {
    if (!isAttachmentsDb(db))
      return refuse(403, 'forbidden', 'Only the attachments database has attachments.');
    const attachment = third!;
    if (attachment !== 'data')
      return refuse(403, 'forbidden', 'An attachment document holds one file, named data.');
    const spec = { kind: 'attachment', db, docId, attachment } as const;
    if (read) return { ...spec, access: 'member', params: REV_ONLY };
    if (method === 'PUT')
      return {
        ...spec,
        access: 'member',
        params: REV_ONLY,
        body: 'binary',
        maxBody: MAX_ATTACHMENT_BYTES,
      };
    if (method === 'DELETE') return { ...spec, access: 'admin', params: REV_ONLY };
    return METHOD_NOT_ALLOWED(method);
  }
  return NOT_HERE;
}

function matchUsers(method: string, s: readonly string[]): Spec | Refusal {
  const read = method === 'GET' || method === 'HEAD';
  const db = '_users';
  if (s.length === 1)
    return read || method === 'PUT'
      ? { kind: 'db', access: 'admin', db }
      : METHOD_NOT_ALLOWED(method);
  const second = s[1]!;
  if (s.length === 2 && second === '_all_docs')
    return read
      ? { kind: 'all_docs', access: 'admin', db, params: KEY_PARAMS }
      : METHOD_NOT_ALLOWED(method);
  if (s.length === 2 && second.startsWith('org.couchdb.user:')) {
    const docId = second;
    if (read) return { kind: 'user_doc', access: 'member', db, docId, params: REV_ONLY };
    if (method === 'PUT')
      return { kind: 'user_doc', access: 'member', db, docId, body: 'json', params: REV_ONLY };
    if (method === 'DELETE')
      return { kind: 'user_doc', access: 'admin', db, docId, params: REV_ONLY };
    return METHOD_NOT_ALLOWED(method);
  }
  return refuse(403, 'forbidden', 'Only server administrators manage accounts.');
}

/** Content types a file may be uploaded as. */
export const UPLOAD_TYPES: readonly string[] = ATTACHMENT_TYPES;

/** The user a request runs as. */
export type Who = { readonly name: string | null; readonly roles: readonly string[] };

export const isServerAdmin = (w: Who): boolean => w.roles.includes('_admin');

const DOC_FIELDS = new Set(['_id', '_rev', '_deleted', '_revisions', '_attachments']);

/** Counts keys and depth of a JSON value, stopping early past the limits. */
function shapeError(v: unknown): string | null {
  let keys = 0;
  const walk = (x: unknown, depth: number): string | null => {
    if (depth > MAX_DOC_DEPTH) return `Documents nest at most ${MAX_DOC_DEPTH} levels.`;
    if (Array.isArray(x)) {
      keys += x.length;
      if (keys > MAX_DOC_KEYS) return `Documents have at most ${MAX_DOC_KEYS} keys and items.`;
      for (const y of x) {
        const e = walk(y, depth + 1);
        if (e) return e;
      }
    } else if (typeof x === 'object' && x !== null) {
      const ks = Object.keys(x);
      keys += ks.length;
      if (keys > MAX_DOC_KEYS) return `Documents have at most ${MAX_DOC_KEYS} keys and items.`;
      for (const k of ks) {
        const e = walk((x as Record<string, unknown>)[k], depth + 1);
        if (e) return e;
      }
    }
    return null;
  };
  return walk(v, 0);
}

/**
 * Checks one document a request writes (`PUT /db/id` or an item of `_bulk_docs`), before the
 * engine and its validate_doc_update see it: size, shape, reserved ids and fields, and
 * attachments (stubs only, in the attachments database only, for anyone but server admins).
 */
export function documentError(
  db: string,
  doc: unknown,
  who: Who,
  pathId: string | undefined,
): Refusal | null {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    return refuse(400, 'bad_request', 'A document is a JSON object.');
  const d = doc as Record<string, unknown>;
  const id = pathId ?? d._id;
  if (typeof id !== 'string' || id.length < 1 || id.length > 250)
    return refuse(400, 'bad_request', 'A document has an _id of 1 to 250 characters.');
  if (pathId !== undefined && d._id !== undefined && d._id !== pathId)
    return refuse(400, 'bad_request', 'The _id in the body differs from the path.');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(id)) return refuse(400, 'bad_request', 'Control characters in _id.');
  if (id.startsWith('_local/'))
    return refuse(403, 'forbidden', '_local documents are written one by one, at their own path.');
  const admin = isServerAdmin(who);
  if (id.startsWith('_') && !(admin && id.startsWith('_design/')))
    return refuse(403, 'forbidden', 'Only server administrators may write design documents.');
  if (JSON.stringify(d).length > MAX_DOCUMENT_BYTES)
    return refuse(413, 'document_too_large', `Documents are at most ${MAX_DOCUMENT_BYTES} bytes.`);
  const shape = shapeError(d);
  if (shape) return refuse(400, 'bad_request', shape);
  for (const k of Object.keys(d))
    if (k.startsWith('_') && !DOC_FIELDS.has(k))
      return refuse(400, 'doc_validation', `Bad special document member: ${k}`);
  const atts = d._attachments;
  if (atts !== undefined && !admin) {
    if (!isAttachmentsDb(db))
      return refuse(403, 'forbidden', 'Only the attachments database has attachments.');
    if (typeof atts !== 'object' || atts === null)
      return refuse(400, 'bad_request', '_attachments is an object.');
    for (const [name, a] of Object.entries(atts)) {
      if (
        name !== 'data' ||
        typeof a !== 'object' ||
        a === null ||
        (a as { stub?: unknown }).stub !== true
      )
        return refuse(
          403,
          'forbidden',
          'Files are uploaded one by one to <id>/data; documents carry only their stub.',
        );
    }
  }
  return null;
}

/** Checks a JSON body against its route (documents, keys, ids), or null when fine. */
export function bodyError(r: Route, body: unknown, who: Who): Refusal | null {
  const db = r.db ?? '';
  const obj =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : null;
  const stringList = (v: unknown, max: number): boolean =>
    Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string' && x.length <= 300);
  switch (r.kind) {
    case 'doc':
    case 'design':
      return documentError(db, body, who, r.docId);
    case 'local': {
      if (!obj) return refuse(400, 'bad_request', 'A document is a JSON object.');
      if (obj._attachments !== undefined)
        return refuse(403, 'forbidden', '_local documents have no attachments.');
      return shapeError(obj) ? refuse(400, 'bad_request', shapeError(obj)!) : null;
    }
    case 'bulk_docs': {
      if (!obj || !Array.isArray(obj.docs))
        return refuse(400, 'bad_request', '_bulk_docs takes {"docs": [...]}.');
      for (const k of Object.keys(obj))
        if (k !== 'docs' && k !== 'new_edits')
          return refuse(400, 'bad_request', `_bulk_docs does not take ${k}.`);
      if (obj.new_edits !== undefined && typeof obj.new_edits !== 'boolean')
        return refuse(400, 'bad_request', 'new_edits is a boolean.');
      if (obj.docs.length > MAX_KEYS)
        return refuse(400, 'too_many', `At most ${MAX_KEYS} documents per _bulk_docs.`);
      for (const d of obj.docs) {
        const e = documentError(db, d, who, undefined);
        if (e) return e;
      }
      return null;
    }
    case 'all_docs':
    case 'view':
      if (!obj || !stringList(obj.keys, MAX_KEYS) || Object.keys(obj).length !== 1)
        return refuse(
          400,
          'bad_request',
          `The body is {"keys": [...]} with at most ${MAX_KEYS} keys.`,
        );
      return null;
    case 'changes':
      if (!obj) return refuse(400, 'bad_request', 'The body is a JSON object.');
      for (const k of Object.keys(obj))
        if (k !== 'doc_ids') return refuse(400, 'bad_request', `_changes does not take ${k}.`);
      if (obj.doc_ids !== undefined && !stringList(obj.doc_ids, MAX_KEYS))
        return refuse(400, 'bad_request', `doc_ids is a list of at most ${MAX_KEYS} ids.`);
      return null;
    case 'bulk_get': {
      const docs = obj?.docs;
      if (!Array.isArray(docs) || docs.length > MAX_KEYS || Object.keys(obj!).length !== 1)
        return refuse(
          400,
          'bad_request',
          `_bulk_get takes {"docs": [...]} with at most ${MAX_KEYS}.`,
        );
      for (const d of docs as unknown[]) {
        if (typeof d !== 'object' || d === null || typeof (d as { id?: unknown }).id !== 'string')
          return refuse(400, 'bad_request', 'Each _bulk_get item names its id.');
        for (const k of Object.keys(d))
          if (k !== 'id' && k !== 'rev' && k !== 'atts_since')
            return refuse(400, 'bad_request', `_bulk_get items do not take ${k}.`);
        if ((d as { atts_since?: unknown }).atts_since !== undefined && !isAttachmentsDb(db))
          return refuse(400, 'bad_request', 'Only the attachments database has attachments.');
      }
      return null;
    }
    case 'revs_diff': {
      if (!obj) return refuse(400, 'bad_request', '_revs_diff takes {"id": [revs]}.');
      const ids = Object.keys(obj);
      if (ids.length > MAX_KEYS)
        return refuse(400, 'too_many', `At most ${MAX_KEYS} ids per _revs_diff.`);
      let revs = 0;
      for (const id of ids) {
        const v = obj[id];
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && REV.test(x)))
          return refuse(400, 'bad_request', '_revs_diff takes {"id": [revs]}.');
        revs += v.length;
      }
      if (revs > 10 * MAX_KEYS) return refuse(400, 'too_many', 'Too many revisions in _revs_diff.');
      return null;
    }
    case 'security': {
      if (!obj) return refuse(400, 'bad_request', 'The security object is a JSON object.');
      for (const k of Object.keys(obj))
        if (k !== 'admins' && k !== 'members')
          return refuse(400, 'bad_request', `The security object does not take ${k}.`);
      return null;
    }
    case 'revs_limit':
      return typeof body === 'number' && Number.isInteger(body) && body >= 1 && body <= 1000
        ? null
        : refuse(400, 'bad_request', '_revs_limit is an integer from 1 to 1000.');
    case 'ensure_full_commit':
    case 'compact':
      return null;
    case 'user_doc':
      return obj ? null : refuse(400, 'bad_request', 'A user document is a JSON object.');
    default:
      return refuse(400, 'bad_request', 'This request takes no body.');
  }
}

/** Fields of a `_users` document only server admins (or the engine hashing a password) set. */
const RESERVED_USER_FIELDS = [
  'name',
  'type',
  'roles',
  'password_scheme',
  'derived_key',
  'salt',
  'iterations',
  'pbkdf2_prf',
  'password_sha',
];

const HASH_FIELDS = new Set(RESERVED_USER_FIELDS.slice(3));

/**
 * CouchDB 3's `_users` rule for a member's own write (server admins skip this): only their own
 * existing document, with `_rev`, the same name, type and roles; reserved fields unchanged
 * (a new `password` is what changes the hash); no deletion.
 */
export function userDocError(
  who: Who,
  docId: string,
  current: Record<string, unknown> | null,
  next: Record<string, unknown>,
): Refusal | null {
  if (who.name === null || docId !== `org.couchdb.user:${who.name}`)
    return refuse(403, 'forbidden', 'Only server administrators may change other accounts.');
  if (current === null)
    return refuse(403, 'forbidden', 'Only server administrators may create accounts.');
  if (next._deleted === true)
    return refuse(403, 'forbidden', 'Only server administrators may delete accounts.');
  if (next._id !== undefined && next._id !== docId)
    return refuse(400, 'bad_request', 'The _id in the body differs from the path.');
  for (const k of RESERVED_USER_FIELDS) {
    const same = JSON.stringify(next[k]) === JSON.stringify(current[k]);
    // A new password replaces the hash fields, which the engine then derives again.
    const rehashed = next[k] === undefined && HASH_FIELDS.has(k) && next.password !== undefined;
    if (!same && !rehashed)
      return refuse(403, 'forbidden', `Only server administrators may change ${k}.`);
  }
  if (
    next.password !== undefined &&
    (typeof next.password !== 'string' || next.password.length > 1024)
  )
    return refuse(400, 'bad_request', 'A password is a string of at most 1024 characters.');
  for (const k of Object.keys(next))
    if (k.startsWith('_') && k !== '_id' && k !== '_rev')
      return refuse(400, 'doc_validation', `Bad special document member: ${k}`);
  return null;
}
