/**
 * Provisioning for desk services: the `services` database (jobs, claims, checkpoints, status,
 * templates, demo mailbox), readable and writable by the service account and admins only, and
 * the service account itself (role `service`), whose rights validate_doc_update narrows.
 */
import { CouchError, type CouchAdmin } from './couch-admin';
import { SERVICE_ROLE } from '../../../shared/services/service-rules';
import type { ProvisionReport } from './provision';
import { servicesValidateDocUpdate } from './design-docs';

/** Creates the services database and the service account (keeping its password if it exists). */
export async function provisionServices(
  couch: CouchAdmin,
  prefix: string,
  account: { readonly name: string; readonly password: string },
  report: ProvisionReport,
): Promise<void> {
  const db = `${prefix}services`;
  const r = await couch.tryRequest('PUT', `/${db}`);
  if (r.status === 201 || r.status === 202) report.created.push(db);
  else if (r.status !== 412)
    throw new CouchError(r.status, 'error', JSON.stringify(r.body), `/${db}`);
  await couch.request('PUT', `/${db}/_security`, {
    admins: { names: [], roles: [] },
    members: { names: [], roles: [SERVICE_ROLE, 'admin'] },
  });
  // Admins save templates and file staff requests; desk services write the rest.
  const VALIDATE = await servicesValidateDocUpdate();
  const design = {
    _id: '_design/switchboard',
    language: 'javascript',
    validate_doc_update: VALIDATE,
  };
  const cur = await couch.tryRequest('GET', `/${db}/_design/switchboard`);
  if (cur.status !== 200) await couch.request('PUT', `/${db}/_design/switchboard`, design);
  else if ((cur.body as { validate_doc_update?: string }).validate_doc_update !== VALIDATE)
    await couch.request('PUT', `/${db}/_design/switchboard`, {
      ...design,
      _rev: (cur.body as { _rev: string })._rev,
    });
  const id = `org.couchdb.user:${account.name}`;
  const existing = await couch.tryRequest('GET', `/_users/${encodeURIComponent(id)}`);
  if (existing.status === 200) {
    const doc = existing.body as { roles?: string[] };
    if (JSON.stringify(doc.roles) === JSON.stringify([SERVICE_ROLE])) return;
    await couch.request('PUT', `/_users/${encodeURIComponent(id)}`, {
      ...doc,
      roles: [SERVICE_ROLE],
    });
    report.updated.push(id);
    return;
  }
  await couch.request('PUT', `/_users/${encodeURIComponent(id)}`, {
    _id: id,
    name: account.name,
    password: account.password,
    roles: [SERVICE_ROLE],
    type: 'user',
    fullName: 'Desk services',
  });
  report.created.push(id);
}
