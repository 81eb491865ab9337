/**
 * Idempotent provisioning of a Switchboard server: databases, `_security`, design documents,
 * the default SLA configuration (only when the desk has none) and staff users. Safe to run again
 * and again, against the embedded server or Apache CouchDB 3.
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
import { provisionServices } from './services';
import { SERVICE_ROLE } from '../../../shared/services/service-rules';
import { DEFAULT_SERVICE_USER, DEMO_SERVICE_PASSWORD } from '../services/config';
import { SLA_CONFIG_ID } from '../../../shared/domain/sla-config';
import { defaultSlaConfigDoc } from './sla-defaults';

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
  serviceAccount: { readonly name: string; readonly password: string } = {
    name: process.env.SWITCHBOARD_SERVICE_USER ?? DEFAULT_SERVICE_USER,
    password: process.env.SWITCHBOARD_SERVICE_PASSWORD ?? DEMO_SERVICE_PASSWORD,
  },
): Promise<ProvisionReport> {
  const report: ProvisionReport = { created: [], updated: [] };
  await ensureDb(couch, '_users', report);
  for (const db of [...DATABASES, ...ONLINE_DATABASES]) {
    const name = databaseName(prefix, db);
    await ensureDb(couch, name, report);
    const security = {
      admins: { names: [], roles: [] },
      // Desk services are members too; validate_doc_update narrows what they may write.
      members: {
        names: [],
        roles: db === 'presence' ? [...STAFF_ROLES] : [...STAFF_ROLES, SERVICE_ROLE],
      },
    };
    await couch.request('PUT', `/${name}/_security`, security);
    await upsert(couch, name, await designDocFor(db), report);
  }
  // Presence is rewritten every few seconds and its history is worthless: keep little of it.
  // CouchDB takes this; PouchDB Server's strict JSON parser refuses a bare number (harmless).
  await couch.tryRequest('PUT', `/${databaseName(prefix, 'presence')}/_revs_limit`, 10);
  await provisionServices(couch, prefix, serviceAccount, report);
  await ensureSlaConfig(couch, databaseName(prefix, 'directory'), report);
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

/**
 * Stores version 1 of the default SLA configuration when the directory has none. A desk's own
 * configuration is never overwritten: admins change it in the console.
 */
async function ensureSlaConfig(
  couch: CouchAdmin,
  db: string,
  report: ProvisionReport,
): Promise<void> {
  const path = `/${db}/${SLA_CONFIG_ID}`;
  if ((await couch.tryRequest('GET', path)).status === 200) return;
  const { id, ...rest } = defaultSlaConfigDoc(new Date().toISOString());
  await couch.request('PUT', path, { _id: id, ...rest });
  report.created.push(`${db}/${id}`);
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
