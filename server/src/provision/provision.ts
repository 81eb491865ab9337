/**
 * Idempotent provisioning of a Switchboard server: databases, `_security`, design documents and
 * staff users. Safe to run again and again, against the embedded server or Apache CouchDB 3.
 */
import {
  DATABASES,
  ONLINE_DATABASES,
  STAFF_ROLES,
  databaseName,
} from '../../../shared/sync/databases';
import { stableJson } from '../../../shared/domain';
import { CouchError, type CouchAdmin } from './couch-admin';
import { designDocFor, DESIGN_DOC_ID } from './design-docs';

/** One staff account to create. */
export type StaffUser = {
  readonly name: string;
  readonly password: string;
  readonly roles: readonly string[];
  readonly fullName: string;
};

export type ProvisionReport = { readonly created: string[]; readonly updated: string[] };

/** Creates or updates everything Switchboard needs on the server. */
export async function provision(
  couch: CouchAdmin,
  prefix: string,
  users: readonly StaffUser[],
): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], updated: [] };
  await ensureDb(couch, '_users', report);
  for (const db of [...DATABASES, ...ONLINE_DATABASES]) {
    const name = databaseName(prefix, db);
    await ensureDb(couch, name, report);
    const security = {
      admins: { names: [], roles: [] },
      members: { names: [], roles: [...STAFF_ROLES] },
    };
    await couch.request('PUT', `/${name}/_security`, security);
    await upsert(couch, name, await designDocFor(db), report);
  }
  // Presence is rewritten every few seconds and its history is worthless: keep little of it.
  // CouchDB takes this; PouchDB Server's strict JSON parser refuses a bare number (harmless).
  await couch.tryRequest('PUT', `/${databaseName(prefix, 'presence')}/_revs_limit`, 10);
  for (const u of users) {
    const id = `org.couchdb.user:${u.name}`;
    const existing = await couch.tryRequest('GET', `/_users/${encodeURIComponent(id)}`);
    if (existing.status === 200) {
      const doc = existing.body as { roles?: string[]; _rev: string };
      const sameRoles =
        JSON.stringify([...(doc.roles ?? [])].sort()) === JSON.stringify([...u.roles].sort());
      if (sameRoles) continue;
      // Keep the user's password; only their roles follow the provisioning list.
      await couch.request('PUT', `/_users/${encodeURIComponent(id)}`, { ...doc, roles: u.roles });
      report.updated.push(id);
      continue;
    }
    await couch.request('PUT', `/_users/${encodeURIComponent(id)}`, {
      _id: id,
      name: u.name,
      password: u.password,
      roles: u.roles,
      type: 'user',
      fullName: u.fullName,
    });
    report.created.push(id);
  }
  return report;
}

async function ensureDb(couch: CouchAdmin, name: string, report: ProvisionReport): Promise<void> {
  const r = await couch.tryRequest('PUT', `/${encodeURIComponent(name)}`);
  if (r.status === 201 || r.status === 202) report.created.push(name);
  else if (r.status !== 412)
    throw new CouchError(r.status, 'error', JSON.stringify(r.body), `/${name}`);
}

async function upsert(
  couch: CouchAdmin,
  db: string,
  doc: Record<string, unknown>,
  report: ProvisionReport,
): Promise<void> {
  const id = String(doc._id);
  const path = `/${db}/${id === DESIGN_DOC_ID ? id : encodeURIComponent(id)}`;
  const existing = await couch.tryRequest('GET', path);
  if (existing.status === 200) {
    const { _rev, ...rest } = existing.body as Record<string, unknown>;
    if (stableJson(rest) === stableJson(doc)) return;
    await couch.request('PUT', path, { ...doc, _rev });
    report.updated.push(`${db}/${id}`);
    return;
  }
  await couch.request('PUT', path, doc);
  report.created.push(`${db}/${id}`);
}

/** True if the tickets database has no tickets yet (design documents do not count). */
export async function isEmptyDesk(couch: CouchAdmin, prefix: string): Promise<boolean> {
  const info = await couch.request<{ doc_count: number }>(
    'GET',
    `/${databaseName(prefix, 'tickets')}`,
  );
  return info.doc_count <= 1;
}
