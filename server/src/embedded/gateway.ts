/**
 * The embedded server's public face on 127.0.0.1, and the only way to the engine (which listens
 * on an owner-only Unix socket). Every request is matched against the allow-list of
 * request-policy.ts on its canonical path, authenticated against the engine's `_session`, its
 * body read within the route's limit (chunked or not) and checked, and only then forwarded, on
 * the path and query rebuilt from what was checked. Answers go back without headers naming the
 * engine. Long-polls are held here (one engine long-poll per database wakes them), so their
 * cost does not grow with their number and `timeout` is honoured. While the engine restarts,
 * callers get a 503 they retry. docs/security.md describes all of it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bodyError,
  canonicalize,
  isServerAdmin,
  MAX_LONGPOLL_MS,
  route as routeOf,
  UPLOAD_TYPES,
  userDocError,
  type Refusal,
  type Route,
  type Who,
} from './request-policy';
import { createThrottle } from './sign-in-throttle';
import { openPasswordHardening } from './password-hardening';
import { createPasswordChangeGate, isGateRefusal } from './password-change-gate';
import { createLogger } from '../log';

const log = createLogger('gateway');

/** Where the engine listens: a Unix socket path, or (where there are none) a loopback port. */
export type EngineTarget = { readonly socketPath: string } | { readonly port: number };

export type GatewayOptions = {
  readonly host: string;
  readonly port: number;
  readonly adminUser: string;
  readonly adminPassword: string;
  /** The server's data directory (for the password-derivation secret). */
  readonly dataDir: string;
};

export type Gateway = {
  readonly port: number;
  readonly setEngine: (target: EngineTarget | undefined) => void;
  readonly close: () => Promise<void>;
};

const SESSION_CACHE_MS = 5_000;
/** Concurrent long-polls one user may hold (every window of every device of theirs). */
export const MAX_LONGPOLLS_PER_USER = 24;
/** Concurrent long-polls the gateway holds in all. */
export const MAX_LONGPOLLS = 2_000;
const INTERNAL_TIMEOUT_MS = 30_000;
/** JSON routes where an empty body is fine. */
const BODY_OPTIONAL = new Set(['ensure_full_commit', 'compact', 'changes']);

type EngineAnswer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** Starts the gateway on `host:port` (0 = any free port). */
export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  let engine: EngineTarget | undefined;
  let generation = 0;
  const sessions = new Map<string, { ctx: Who; expires: number }>();
  const throttle = createThrottle();
  const adminAuth =
    'Basic ' + Buffer.from(`${opts.adminUser}:${opts.adminPassword}`).toString('base64');
  const longPolls = new Map<string, number>();
  const hardening = openPasswordHardening(opts.dataDir);
  /** Basic credentials that signed in, and the header the engine gets for them. */
  const engineAuth = new Map<string, string>();
  const staffName = (name: string) => name !== opts.adminUser;
  // After an admin's reset, the account may only set a new password (password-change-gate.ts).
  const passwordGate = createPasswordChangeGate({
    readUser: (name) => adminGet(`/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`),
    signsIn: async (name, password) => {
      const derived = await hardening.derive(name, password);
      return (await userCtxOf({ authorization: basicHeader(name, derived) })).name === name;
    },
    cacheMs: SESSION_CACHE_MS,
  });

  /** Gives a staff account made before the derivation its derived password. */
  const upgrade = async (name: string, derived: string): Promise<void> => {
    const path = `/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;
    const doc = await adminGet(path);
    if (!doc) return;
    const r = await engineCall(
      'PUT',
      path,
      { accept: 'application/json', 'content-type': 'application/json', authorization: adminAuth },
      Buffer.from(JSON.stringify({ ...doc, password: derived })),
    );
    if (r.status === 201) log.info(`password of ${name} upgraded to PBKDF2-SHA256`);
  };

  const userCtxOf = async (headers: OutgoingHttpHeaders): Promise<Who> => {
    const r = await engineCall('GET', '/_session', { accept: 'application/json', ...headers });
    const parsed = JSON.parse(r.body.toString('utf8')) as {
      userCtx?: { name?: unknown; roles?: unknown };
    };
    const name = typeof parsed.userCtx?.name === 'string' ? parsed.userCtx.name : null;
    const roles = Array.isArray(parsed.userCtx?.roles)
      ? parsed.userCtx.roles.filter((x): x is string => typeof x === 'string')
      : [];
    return { name, roles };
  };
  let longPollTotal = 0;

  /** One request to the engine, buffered (internal reads, long-poll rounds). */
  const engineCall = (
    method: string,
    path: string,
    headers: OutgoingHttpHeaders,
    body?: Buffer,
  ): Promise<EngineAnswer> =>
    new Promise((resolve, reject) => {
      const target = engine;
      if (!target) {
        reject(new Error('engine down'));
        return;
      }
      const req = httpRequest(
        {
          ...target,
          host: 'localhost',
          method,
          path,
          headers: { ...headers, host: 'localhost', 'content-length': body?.length ?? 0 },
          timeout: INTERNAL_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 502,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('engine timeout')));
      req.on('error', reject);
      req.end(body);
    });

  const adminGet = async (path: string): Promise<Record<string, unknown> | null> => {
    const r = await engineCall('GET', path, {
      accept: 'application/json',
      authorization: adminAuth,
    });
    if (r.status === 404) return null;
    if (r.status !== 200) throw new Error(`engine answered ${r.status} to ${path}`);
    return JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;
  };

  /** The Authorization the engine gets: a staff member's derived password, once signed in. */
  const authFor = (authorization: string): string => engineAuth.get(authorization) ?? authorization;

  const credentialsOf = (req: IncomingMessage) => ({
    cookie: req.headers.cookie ?? '',
    authorization: req.headers.authorization ?? '',
  });

  const sessionOf = async (req: IncomingMessage): Promise<Who> => {
    const { cookie, authorization } = credentialsOf(req);
    if (!/AuthSession=/.test(cookie) && authorization === '') return { name: null, roles: [] };
    const key = `${cookie}\n${authorization}`;
    const hit = sessions.get(key);
    if (hit && hit.expires > Date.now()) return hit.ctx;
    const basicName = basicUser(authorization);
    const address = req.socket.remoteAddress ?? '';
    if (basicName !== null && throttle.blockedFor(basicName, address) > 0)
      return { name: null, roles: [] };
    const headers: OutgoingHttpHeaders = {};
    if (cookie) headers.cookie = cookie;
    let ctx: Who;
    try {
      const basic = basicCredentials(authorization);
      const known = engineAuth.get(authorization);
      if (known !== undefined) {
        // Signed in before: the derived header is remembered (no second derivation).
        ctx = await userCtxOf({ ...headers, authorization: known });
        if (ctx.name === null) engineAuth.delete(authorization);
      } else if (basic && staffName(basic.name)) {
        const derived = await hardening.derive(basic.name, basic.password);
        const derivedAuth = basicHeader(basic.name, derived);
        ctx = await userCtxOf({ ...headers, authorization: derivedAuth });
        if (ctx.name === null) {
          // An account from before the derivation: its plain password, then upgraded.
          ctx = await userCtxOf({ ...headers, authorization });
          if (ctx.name !== null) await upgrade(basic.name, derived);
        }
        if (ctx.name !== null) {
          if (engineAuth.size > 10_000) engineAuth.clear();
          engineAuth.set(authorization, derivedAuth);
        }
      } else {
        if (authorization) headers.authorization = authorization;
        ctx = await userCtxOf(headers);
      }
    } catch {
      return { name: null, roles: [] };
    }
    if (basicName !== null) {
      if (ctx.name === null) throttle.failed(basicName, address);
      else throttle.succeeded(basicName, address);
    }
    if (sessions.size > 10_000) sessions.clear();
    sessions.set(key, { ctx, expires: Date.now() + SESSION_CACHE_MS });
    return ctx;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = (req.method ?? 'GET').toUpperCase();
    const canonical = canonicalize(req.url ?? '/');
    if ('kind' in canonical) return refuseWith(req, res, canonical);
    const route = routeOf(method, canonical);
    if (route.kind === 'refuse') return refuseWith(req, res, route);
    if (!engine) return unavailable(res);

    let who: Who = { name: null, roles: [] };
    if (route.access === 'public' && req.headers.authorization) await sessionOf(req);
    if (route.access !== 'public') {
      who = await sessionOf(req);
      if (who.name === null && !isServerAdmin(who))
        return refuseWith(req, res, refusal(401, 'unauthorized', 'Authentication required.'));
      if (route.access === 'admin' && !isServerAdmin(who))
        return refuseWith(
          req,
          res,
          refusal(403, 'forbidden', 'Only server administrators may do this.'),
        );
    }

    const creds = credentialsOf(req);
    const gated = await passwordGate.refusal(who, route, `${creds.cookie}\n${creds.authorization}`);
    if (gated) return refuseWith(req, res, gated);

    if (
      route.kind === 'user_doc' &&
      !isServerAdmin(who) &&
      route.docId !== `org.couchdb.user:${who.name ?? ''}`
    )
      return refuseWith(
        req,
        res,
        refusal(403, 'forbidden', 'Only server administrators may read or change other accounts.'),
      );

    // Documents are JSON; a multipart/related upload (a document with its files inline) is not
    // served, and is refused before its body is read, so the engine never sees it.
    if (route.body === 'json' && /^\s*multipart\//i.test(req.headers['content-type'] ?? ''))
      return refuseWith(
        req,
        res,
        refusal(
          415,
          'unsupported_media_type',
          'Multipart document uploads are not served: send the document as application/json; files go to /<attachments db>/<id>/data.',
        ),
        true,
      );

    const body = await readBody(req, route.maxBody);
    if (body === 'too_large')
      return refuseWith(
        req,
        res,
        refusal(413, 'too_large', `The body is over ${route.maxBody} bytes for this request.`),
        true,
      );
    if (body === 'aborted') return;

    let forwardBody: Buffer | undefined;
    let contentType: string | undefined;
    if (route.body === 'json') {
      if (body.length === 0) {
        if (!BODY_OPTIONAL.has(route.kind))
          return refuseWith(
            req,
            res,
            refusal(400, 'bad_request', 'This request needs a JSON body.'),
          );
      } else {
        let parsed: unknown;
        let rewritten: Buffer | undefined;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return refuseWith(req, res, refusal(400, 'bad_request', 'The body is not JSON.'));
        }
        const e = bodyError(route, parsed, who);
        if (e) return refuseWith(req, res, e);
        const te = await technicianError(route, who, parsed);
        if (te) return refuseWith(req, res, te);
        if (route.kind === 'user_doc' && !isServerAdmin(who)) {
          const current = await adminGet(route.path);
          const ue = userDocError(
            who,
            route.docId ?? '',
            current,
            parsed as Record<string, unknown>,
          );
          if (ue) return refuseWith(req, res, ue);
          const own = await passwordGate.ownWrite(who, current, parsed as Record<string, unknown>);
          if ('refusal' in own) return refuseWith(req, res, own.refusal);
          if (own.doc !== parsed) {
            parsed = own.doc;
            rewritten = Buffer.from(JSON.stringify(own.doc));
          }
        }
        forwardBody = rewritten ?? body;
        contentType = 'application/json';
        const pw = (parsed as { password?: unknown }).password;
        const userName = (route.docId ?? '').slice('org.couchdb.user:'.length);
        if (route.kind === 'user_doc' && typeof pw === 'string' && staffName(userName)) {
          const derived = await hardening.derive(userName, pw);
          forwardBody = Buffer.from(JSON.stringify({ ...(parsed as object), password: derived }));
        }
      }
    } else if (route.body === 'session') {
      return signIn(req, res, route, body);
    } else if (route.body === 'binary') {
      const e = await attachmentError(route, who, req.headers['content-type'] ?? '', body);
      if (e) return refuseWith(req, res, e);
      forwardBody = body;
      contentType = req.headers['content-type'];
    } else if (body.length > 0) {
      return refuseWith(req, res, refusal(400, 'bad_request', 'This request takes no body.'));
    }

    if (route.kind === 'session' && method === 'DELETE') {
      const { cookie, authorization } = credentialsOf(req);
      sessions.delete(`${cookie}\n${authorization}`);
    }
    if (route.kind === 'changes' && route.params.get('feed') === 'longpoll')
      return longPoll(req, res, route, who, forwardBody);
    forward(req, res, method, route, forwardBody, contentType);
  };

  const signIn = async (
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    body: Buffer,
  ): Promise<void> => {
    const s = parseSignIn(req.headers['content-type'] ?? '', body);
    if (!s)
      return refuseWith(req, res, refusal(400, 'bad_request', 'Sign in with {name, password}.'));
    const address = req.socket.remoteAddress ?? '';
    const wait = throttle.blockedFor(s.name, address);
    if (wait > 0) {
      res.setHeader('retry-after', String(Math.ceil(wait / 1000)));
      return refuseWith(
        req,
        res,
        refusal(
          429,
          'too_many_requests',
          `Too many failed sign-ins; try again in ${Math.ceil(wait / 1000)} s.`,
        ),
      );
    }
    const post = (password: string) =>
      engineCall(
        'POST',
        '/_session',
        { accept: 'application/json', 'content-type': 'application/json' },
        Buffer.from(JSON.stringify({ name: s.name, password })),
      );
    let answer: EngineAnswer | null;
    try {
      if (!staffName(s.name)) answer = await post(s.password);
      else {
        const derived = await hardening.derive(s.name, s.password);
        answer = await post(derived);
        if (answer.status === 401 && (await post(s.password)).status === 200) {
          // Signed in with the plain password of an older account: upgrade it and sign in again
          // (the cookie depends on the stored salt, which the upgrade changes).
          await upgrade(s.name, derived);
          answer = await post(derived);
        }
      }
    } catch {
      answer = null;
    }
    if (!answer) return unavailable(res);
    if (answer.status === 401) throttle.failed(s.name, address);
    if (answer.status === 200) throttle.succeeded(s.name, address);
    sendBuffered(res, answer, r);
  };

  /**
   * Technicians (and nothing more) write activity and files only on work orders assigned to
   * them. A ticket the server does not have yet (made offline, still on its way) is not refused.
   */
  const technicianError = async (r: Route, who: Who, body: unknown): Promise<Refusal | null> => {
    const db = r.db ?? '';
    const onTickets = db.endsWith('activity') || db.endsWith('attachments');
    const techOnly =
      who.roles.includes('technician') &&
      !who.roles.some((x) => ['agent', 'supervisor', 'admin', '_admin'].includes(x));
    if (!onTickets || !techOnly || (r.kind !== 'doc' && r.kind !== 'bulk_docs')) return null;
    const docs = r.kind === 'bulk_docs' ? (body as { docs: unknown[] }).docs : [body];
    const numbers = new Set<string>();
    for (const d of docs) {
      const n = (d as { ticketNumber?: unknown }).ticketNumber;
      if (typeof n === 'string') numbers.add(n);
    }
    const ticketsDb = db.replace(/(activity|attachments)$/, 'tickets');
    for (const n of numbers) {
      const t = await adminGet(`/${encodeURIComponent(ticketsDb)}/${encodeURIComponent(n)}`);
      if (t && (t.kind !== 'workorder' || t.assigneeId !== who.name))
        return refusal(403, 'forbidden', `Technicians write only on their own work orders (${n}).`);
    }
    return null;
  };

  const attachmentError = async (
    r: Route,
    who: Who,
    type: string,
    body: Buffer,
  ): Promise<Refusal | null> => {
    if (!UPLOAD_TYPES.includes(type))
      return refusal(415, 'unsupported_media_type', `Files are ${UPLOAD_TYPES.join(', ')}.`);
    if (!magicMatches(type, body))
      return refusal(415, 'unsupported_media_type', `The file is not ${type}.`);
    const doc = await adminGet(
      `/${encodeURIComponent(r.db ?? '')}/${encodeURIComponent(r.docId ?? '')}`,
    );
    if (!doc) return refusal(409, 'conflict', 'Write the attachment document before its file.');
    if (!isServerAdmin(who) && doc.by !== who.name)
      return refusal(403, 'forbidden', 'Only the person who attached a file uploads it.');
    if (doc.type !== type)
      return refusal(403, 'forbidden', 'The file’s type differs from the document’s.');
    if (doc.size !== body.length)
      return refusal(403, 'forbidden', 'The file’s size differs from the document’s.');
    return null;
  };

  /** Streams one request to the engine and its answer back, without naming the engine. */
  const forward = (
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    r: Route,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): void => {
    const target = engine;
    if (!target) return unavailable(res);
    const query = new URLSearchParams([...r.params]).toString();
    const headers: OutgoingHttpHeaders = {
      host: 'localhost',
      accept: req.headers.accept ?? 'application/json',
      'content-length': body?.length ?? 0,
    };
    if (contentType) headers['content-type'] = contentType;
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    if (req.headers.authorization) headers.authorization = authFor(req.headers.authorization);
    const up = httpRequest(
      { ...target, method, path: r.path + (query ? `?${query}` : ''), headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answerHeaders(answer.headers, r));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    up.on('error', (err) => {
      log.warn('engine request failed', err);
      if (!res.headersSent) unavailable(res);
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    up.end(body);
  };

  // --- Long-polls, held by the gateway -------------------------------------------------------
  type Watcher = { waiters: Set<() => void>; running: boolean };
  const watchers = new Map<string, Watcher>();

  const watch = (db: string, wake: () => void): (() => void) => {
    let w = watchers.get(db);
    if (!w) {
      w = { waiters: new Set(), running: false };
      watchers.set(db, w);
    }
    w.waiters.add(wake);
    if (!w.running) void runWatcher(db, w);
    return () => w.waiters.delete(wake);
  };

  /** One engine long-poll per database while anyone waits on it; each change wakes them all. */
  const runWatcher = async (db: string, w: Watcher): Promise<void> => {
    w.running = true;
    const gen = generation;
    const base = `/${encodeURIComponent(db)}`;
    const wakeAll = () => {
      for (const f of [...w.waiters]) f();
    };
    try {
      let since: unknown;
      while (w.waiters.size > 0 && gen === generation) {
        try {
          if (since === undefined) {
            const info = await adminGet(base);
            since = info?.update_seq ?? 0;
            wakeAll(); // Whatever changed before the baseline, the waiters read themselves.
          }
          const r = await engineCall(
            'GET',
            `${base}/_changes?feed=longpoll&limit=1&since=${encodeURIComponent(String(since))}&timeout=${MAX_LONGPOLL_MS}`,
            { accept: 'application/json', authorization: adminAuth },
          );
          if (r.status !== 200) throw new Error(`engine answered ${r.status}`);
          const parsed = JSON.parse(r.body.toString('utf8')) as { last_seq?: unknown };
          if (parsed.last_seq !== undefined && parsed.last_seq !== since) {
            since = parsed.last_seq;
            wakeAll();
          }
        } catch {
          since = undefined;
          wakeAll();
          await new Promise((ok) => setTimeout(ok, 500));
        }
      }
    } finally {
      w.running = false;
      if (w.waiters.size > 0 && gen === generation) void runWatcher(db, w);
    }
  };

  /** Identical reads in flight at once (every waiter woken by the same change) share one. */
  const inFlight = new Map<string, Promise<EngineAnswer>>();
  const sharedRead = (path: string, body: Buffer | undefined): Promise<EngineAnswer> => {
    const key = `${path}\n${body?.toString('utf8') ?? ''}`;
    let p = inFlight.get(key);
    if (!p) {
      const headers: OutgoingHttpHeaders = { accept: 'application/json', authorization: adminAuth };
      if (body) headers['content-type'] = 'application/json';
      p = engineCall(body ? 'POST' : 'GET', path, headers, body).finally(() =>
        inFlight.delete(key),
      );
      inFlight.set(key, p);
    }
    return p;
  };

  const longPoll = async (
    req: IncomingMessage,
    res: ServerResponse,
    r: Route,
    who: Who,
    body: Buffer | undefined,
  ): Promise<void> => {
    const user = who.name ?? '_admin';
    const mine = longPolls.get(user) ?? 0;
    if (mine >= MAX_LONGPOLLS_PER_USER || longPollTotal >= MAX_LONGPOLLS) {
      res.setHeader('retry-after', '5');
      return refuseWith(
        req,
        res,
        refusal(429, 'too_many_requests', `At most ${MAX_LONGPOLLS_PER_USER} long-polls per user.`),
      );
    }
    longPolls.set(user, mine + 1);
    longPollTotal += 1;
    const timeoutMs = Math.min(Number(r.params.get('timeout') ?? MAX_LONGPOLL_MS), MAX_LONGPOLL_MS);
    const deadline = Date.now() + timeoutMs;
    let closed = false;
    let dirty: boolean;
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      dirty = true;
      wakeUp?.();
    };
    const unwatch = watch(r.db ?? '', wake);
    res.on('close', () => {
      closed = true;
      wakeUp?.();
    });
    const params = new Map(r.params);
    params.delete('timeout');
    params.delete('heartbeat');
    params.set('feed', 'normal');
    const headers: OutgoingHttpHeaders = { accept: 'application/json' };
    if (req.headers.cookie) headers.cookie = req.headers.cookie;
    if (req.headers.authorization) headers.authorization = authFor(req.headers.authorization);
    if (body) headers['content-type'] = 'application/json';
    try {
      for (let round = 0; ; round++) {
        dirty = false;
        const path = `${r.path}?${new URLSearchParams([...params]).toString()}`;
        // The first round reads as the user (the engine checks they may read this database);
        // later rounds, woken by a change, share one read per query among all waiters.
        const answer =
          round === 0
            ? await engineCall(body ? 'POST' : 'GET', path, headers, body)
            : await sharedRead(path, body);
        if (closed) return;
        if (answer.status !== 200) return sendBuffered(res, answer, r);
        const parsed = JSON.parse(answer.body.toString('utf8')) as {
          results?: unknown[];
          last_seq?: unknown;
        };
        if ((parsed.results?.length ?? 0) > 0 || Date.now() >= deadline)
          return sendBuffered(res, answer, r);
        const seq = parsed.last_seq;
        if (typeof seq === 'string' || typeof seq === 'number') params.set('since', String(seq));
        if (!dirty) {
          await new Promise<void>((ok) => {
            const t = setTimeout(ok, Math.max(0, deadline - Date.now()));
            wakeUp = () => {
              clearTimeout(t);
              ok();
            };
          });
          wakeUp = undefined;
        }
        if (closed) return;
      }
    } catch (err) {
      // While the engine restarts (or the server stops) waiting clients just get a 503.
      if (engine && !closed) log.warn('long-poll failed', err);
      if (!closed) unavailable(res);
    } finally {
      unwatch();
      longPolls.set(user, (longPolls.get(user) ?? 1) - 1);
      if ((longPolls.get(user) ?? 0) <= 0) longPolls.delete(user);
      longPollTotal -= 1;
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log.error('request failed', err);
      if (!res.headersSent) unavailable(res);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  // Bounded: a client has 30 s to send its headers and 5 minutes for a whole request.
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    setEngine: (t) => {
      engine = t;
      generation += 1;
      sessions.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        engine = undefined;
        generation += 1;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function refusal(status: number, error: string, reason: string): Refusal {
  return { kind: 'refuse', status, error, reason };
}

/** Name and password of a Basic authorization header, or null. */
function basicCredentials(authorization: string): { name: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : null;
}

function basicHeader(name: string, password: string): string {
  return 'Basic ' + Buffer.from(`${name}:${password}`).toString('base64');
}

/** The name in a Basic authorization header, or null. */
function basicUser(authorization: string): string | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : null;
}

/** `{name, password}` from a JSON or form sign-in body, bounded, or null. */
function parseSignIn(contentType: string, body: Buffer): { name: string; password: string } | null {
  let v: Record<string, unknown>;
  try {
    if (contentType.startsWith('application/x-www-form-urlencoded'))
      v = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    else v = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { name, password } = v;
  if (typeof name !== 'string' || typeof password !== 'string') return null;
  if (name.length < 1 || name.length > 200 || password.length > 1024) return null;
  return { name, password };
}

const MAGIC: Record<string, (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])),
  'image/jpeg': (b) => b.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])),
  'image/webp': (b) =>
    b.subarray(0, 4).toString('latin1') === 'RIFF' &&
    b.subarray(8, 12).toString('latin1') === 'WEBP',
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
};

/** True when the bytes start as a file of `type` does (no HTML served as an image). */
function magicMatches(type: string, body: Buffer): boolean {
  return MAGIC[type]?.(body) ?? false;
}

/** Reads a whole body, counting bytes as they arrive (chunked bodies included). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too_large' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (c: Buffer) => {
      if (settled) return;
      size += c.length;
      if (size > max) {
        settled = true;
        req.pause();
        resolve('too_large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!settled) {
        settled = true;
        resolve(Buffer.concat(chunks));
      }
    });
    req.on('error', () => {
      if (!settled) {
        settled = true;
        resolve('aborted');
      }
    });
    req.on('aborted', () => {
      if (!settled) {
        settled = true;
        resolve('aborted');
      }
    });
  });
}

// Engine headers that must not reach clients: they name the engine or its private address.
const DROPPED = new Set([
  'location',
  'content-location',
  'server',
  'www-authenticate',
  'x-powered-by',
]);

function answerHeaders(h: IncomingHttpHeaders, r: Route): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || DROPPED.has(k)) continue;
    if (k === 'set-cookie') {
      const list = Array.isArray(v) ? v : [v];
      out[k] = list.map((c) => {
        let x = c;
        if (!/;\s*SameSite=/i.test(x)) x += '; SameSite=Strict';
        if (!/;\s*HttpOnly/i.test(x)) x += '; HttpOnly';
        return x;
      });
      continue;
    }
    out[k] = v;
  }
  out['x-content-type-options'] = 'nosniff';
  if (r.kind === 'attachment') {
    // Files are shown by the console from their bytes; opened directly they are inert.
    out['content-security-policy'] = "sandbox; default-src 'none'";
    const type = String(h['content-type'] ?? '');
    if (!/^image\/(png|jpeg|webp)$/.test(type)) out['content-disposition'] = 'attachment';
    out['cross-origin-resource-policy'] = 'same-origin';
  }
  return out;
}

function sendBuffered(res: ServerResponse, a: EngineAnswer, r: Route): void {
  if (res.headersSent) return;
  const headers = answerHeaders(a.headers, r);
  delete headers['transfer-encoding'];
  headers['content-length'] = a.body.length;
  res.writeHead(a.status, headers);
  res.end(a.body);
}

function unavailable(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(
    JSON.stringify({ error: 'unavailable', reason: 'The server is restarting; retry shortly.' }),
  );
}

function refuseWith(
  req: IncomingMessage,
  res: ServerResponse,
  r: Refusal,
  closeAfter = false,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(r.status, {
    'content-type': 'application/json',
    'x-switchboard-gateway': 'refused',
    'x-content-type-options': 'nosniff',
    ...(closeAfter ? { connection: 'close' } : {}),
  });
  res.end(
    JSON.stringify({
      error: r.error,
      reason: r.reason,
      ...(isGateRefusal(r) ? { message: r.message } : {}),
    }),
  );
  // A body the gateway will not read is not left half-sent on a kept-alive connection.
  if (closeAfter) res.on('finish', () => req.destroy());
  else if (!req.complete) req.resume();
}
