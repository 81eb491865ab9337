/**
 * Staff administration through desk services: an admin writes a request document
 * (`staff-request:<id>` in the services database: create an account, set its roles, reset its
 * password, disable it, set its assignment groups in the directory); desk services, the only
 * holder of credentials that may write `_users`, carries it out once (the result document
 * `staff-result:<id>` is the claim), answers in that document (a temporary password the person
 * changes, or why not) and audits it (`audit:<id>`).
 * Disabling clears the roles and replaces the password, which ends the account's cookie sessions.
 * Admins cannot read `_users`: desk services publish the staff accounts (name, full name, roles,
 * disabled, must set a new password; never a hash) as `staff-accounts` in the services database,
 * at start, after each change and every ACCOUNTS_EVERY_MS (changes made elsewhere, such as a
 * person setting their new password).
 */
import { randomBytes } from 'node:crypto';
import { STAFF_ROLES } from '../../../shared/sync/databases';
import { groupIdsError } from '../../../shared/services/service-rules';
import { couchAdmin, type CouchAdmin } from '../provision/couch-admin';
import type { Doc, Store } from './store';
import { followChanges, newStatus, noteError, sleep, type WorkerStatus } from './worker';
import { createLogger } from '../log';

const log = createLogger('staff');

/** What an admin may ask for. */
export type StaffRequest = Doc & {
  action: 'create' | 'set-roles' | 'set-groups' | 'reset-password' | 'disable';
  name: string;
  fullName?: string;
  roles?: string[];
  groupIds?: string[];
  by: string;
  at: string;
};

type UserDoc = Doc & { name: string; roles: string[]; type: 'user'; [k: string]: unknown };

const NAME = /^[a-z][a-z0-9._-]{1,39}$/;
/** How often the published account list is refreshed when nothing was asked. */
export const ACCOUNTS_EVERY_MS = 30_000;

/** One staff account as the Staff page lists it (`staff-accounts` in the services database). */
export type StaffAccount = {
  name: string;
  fullName: string;
  roles: string[];
  disabled: boolean;
  mustChangePassword: boolean;
};
const tempPassword = (): string => randomBytes(12).toString('base64url');

/** Starts the staff worker, writing `_users` as `usersAdmin`. */
export function startStaffWorker(
  store: Store,
  couchUrl: string,
  usersAdmin: { readonly user: string; readonly password: string },
  serviceUser: string,
  signal: AbortSignal,
): { status: WorkerStatus; done: Promise<void> } {
  const status = newStatus();
  const users: CouchAdmin = couchAdmin(couchUrl, usersAdmin.user, usersAdmin.password);
  const services = store.db('services');
  const directory = store.db('directory');
  const userPath = (name: string) => `/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`;

  const carryOut = async (r: StaffRequest): Promise<Record<string, unknown>> => {
    if (typeof r.name !== 'string' || !NAME.test(r.name))
      return { state: 'failed', reason: 'A staff name is 2-40 lower-case letters, digits, . _ -.' };
    if (r.name === serviceUser || r.name === usersAdmin.user)
      return { state: 'failed', reason: 'That account is not managed here.' };
    const roles = r.roles ?? [];
    if (!Array.isArray(roles) || roles.some((x) => !(STAFF_ROLES as readonly string[]).includes(x)))
      return { state: 'failed', reason: `Roles are ${STAFF_ROLES.join(', ')}.` };
    const current = await users.tryRequest('GET', userPath(r.name));
    const doc = current.status === 200 ? (current.body as UserDoc) : null;
    if (r.action === 'create') {
      if (doc) return { state: 'failed', reason: `${r.name} already has an account.` };
      const password = tempPassword();
      await users.request('PUT', userPath(r.name), {
        _id: `org.couchdb.user:${r.name}`,
        name: r.name,
        type: 'user',
        roles,
        password,
        fullName: typeof r.fullName === 'string' ? r.fullName.slice(0, 200) : r.name,
        mustChangePassword: true,
      });
      return { state: 'done', temporaryPassword: password };
    }
    if (!doc) return { state: 'failed', reason: `${r.name} has no account.` };
    if (r.action === 'set-roles') {
      await users.request('PUT', userPath(r.name), { ...doc, roles, disabled: false });
      return { state: 'done' };
    }
    if (r.action === 'set-groups') {
      // The groups live in the directory (`groupIds` of person:<name>, what the console reads as
      // "my groups"); the service rules let desk services change that field and nothing else.
      const bad = groupIdsError(r.groupIds);
      if (bad !== null) return { state: 'failed', reason: bad };
      const groupIds = r.groupIds ?? [];
      for (const g of groupIds) {
        const group = await store.get<Doc & { type?: string }>(directory, g);
        if (group?.type !== 'group') return { state: 'failed', reason: `There is no group ${g}.` };
      }
      const id = `person:${r.name}`;
      const person = await store.get(directory, id);
      const fullName = typeof doc.fullName === 'string' && doc.fullName ? doc.fullName : r.name;
      const next: Doc = person
        ? { ...person, groupIds }
        : { _id: id, type: 'person', name: fullName, username: r.name, staff: true, groupIds };
      if ((await store.put(directory, next)) === null)
        return { state: 'failed', reason: `${id} changed meanwhile; ask again.` };
      return { state: 'done' };
    }
    if (r.action === 'reset-password') {
      const password = tempPassword();
      await users.request('PUT', userPath(r.name), { ...doc, password, mustChangePassword: true });
      return { state: 'done', temporaryPassword: password };
    }
    if (r.action === 'disable') {
      // A new password (new salt) invalidates every cookie session of the account.
      await users.request('PUT', userPath(r.name), {
        ...doc,
        roles: [],
        password: randomBytes(32).toString('base64url'),
        disabled: true,
      });
      return { state: 'done' };
    }
    return { state: 'failed', reason: 'Unknown action.' };
  };

  const onDoc = async (doc: Doc): Promise<void> => {
    if (!doc._id.startsWith('staff-request:')) return;
    const r = doc as StaffRequest;
    const id = doc._id.slice('staff-request:'.length);
    const claim = await store.put(services, {
      _id: `staff-result:${id}`,
      state: 'working',
      at: new Date().toISOString(),
    });
    let rev = claim;
    if (rev === null) {
      // Done, or being done by another instance; taken over when that one died at it.
      const cur = await store.get<Doc & { state?: string; at?: string }>(
        services,
        `staff-result:${id}`,
      );
      const stale = cur?.state === 'working' && Date.now() - Date.parse(String(cur.at)) > 60_000;
      if (!cur || !stale) return;
      rev = await store.put(services, { ...cur, at: new Date().toISOString() });
      if (rev === null) return;
    }
    status.doing = `${r.action} ${r.name}`;
    let outcome: Record<string, unknown>;
    try {
      outcome = await carryOut(r);
    } catch (err) {
      outcome = { state: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
    await store.put(services, {
      _id: `staff-result:${id}`,
      _rev: rev,
      ...outcome,
      at: new Date().toISOString(),
    });
    await store.put(services, {
      _id: `audit:${id}`,
      kind: 'staff',
      action: r.action,
      name: r.name,
      roles: r.roles ?? null,
      groupIds: r.action === 'set-groups' ? (r.groupIds ?? null) : null,
      requestedBy: r.by,
      requestedAt: r.at,
      outcome: outcome.state,
      reason: outcome.reason ?? null,
      at: new Date().toISOString(),
    });
    status.done += 1;
    status.doing = 'waiting for requests';
    log.info(`${r.by} asked to ${r.action} ${r.name}: ${String(outcome.state)}`);
  };

  /** Publishes the accounts (not the service account, not the server admin) if they changed. */
  const publishAccounts = async (): Promise<void> => {
    const all = await users.request<{ rows: { id: string; doc?: UserDoc }[] }>(
      'GET',
      '/_users/_all_docs?include_docs=true',
    );
    const accounts: StaffAccount[] = all.rows
      .map((r) => r.doc)
      .filter(
        (d): d is UserDoc =>
          !!d &&
          d._id.startsWith('org.couchdb.user:') &&
          d.type === 'user' &&
          typeof d.name === 'string' &&
          d.name !== serviceUser &&
          d.name !== usersAdmin.user,
      )
      .map((d) => ({
        name: d.name,
        fullName: typeof d.fullName === 'string' && d.fullName ? d.fullName : d.name,
        roles: Array.isArray(d.roles) ? d.roles.filter((x) => typeof x === 'string') : [],
        disabled: d.disabled === true,
        mustChangePassword: d.mustChangePassword === true,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const cur = await store.get<Doc & { accounts?: unknown }>(services, 'staff-accounts');
    if (cur && JSON.stringify(cur.accounts) === JSON.stringify(accounts)) return;
    // A 409 is another instance publishing the same list.
    await store.put(services, {
      _id: 'staff-accounts',
      ...(cur?._rev ? { _rev: cur._rev } : {}),
      accounts,
      at: new Date().toISOString(),
    });
  };
  const publish = (): Promise<void> =>
    publishAccounts().catch((err: unknown) => noteError(status, 'publishing accounts', err));

  const changes = followChanges(store, services, 'staff', status, signal, async (doc) => {
    await onDoc(doc);
    if (doc._id.startsWith('staff-request:')) await publish();
  });
  const refresh = (async () => {
    while (!signal.aborted) {
      await publish();
      await sleep(ACCOUNTS_EVERY_MS, signal);
    }
  })();
  const done = Promise.all([changes, refresh]).then(() => undefined);
  return { status, done };
}
