/**
 * Provisioning for desk services: the `services` database (jobs, claims, checkpoints, status,
 * templates, demo mailbox), readable and writable by the service account and admins only, and
 * the service account itself (role `service`), whose rights validate_doc_update narrows.
 */
import { CouchError, type CouchAdmin } from './couch-admin';
import { SERVICE_ROLE } from '../../../shared/services/service-rules';
import type { ProvisionReport } from './provision';

/** The validation of the services database: service account and admins; admins edit templates only. */
const VALIDATE =
  'function (newDoc, oldDoc, userCtx) {\n' +
  '  var roles = userCtx.roles || [];\n' +
  '  if (roles.indexOf("_admin") !== -1) return;\n' +
  '  if (newDoc._id.indexOf("_design/") === 0) throw({ forbidden: "Only server administrators change design documents." });\n' +
  `  if (roles.indexOf(${JSON.stringify(SERVICE_ROLE)}) !== -1) return;\n` +
  '  if (roles.indexOf("admin") !== -1 && newDoc._id.indexOf("template:") === 0 && !newDoc._deleted) {\n' +
  '    if (typeof newDoc.subject !== "string" || typeof newDoc.text !== "string" || typeof newDoc.html !== "string")\n' +
  '      throw({ forbidden: "A mail template has a subject, a text and an html." });\n' +
  '    return;\n' +
  '  }\n' +
  '  if (roles.indexOf("admin") !== -1 && newDoc._id.indexOf("staff-request:") === 0 && !oldDoc && !newDoc._deleted) {\n' +
  '    if (newDoc.by !== userCtx.name) throw({ forbidden: "A staff request says who asked (by)." });\n' +
  '    if (["create", "set-roles", "set-groups", "reset-password", "disable"].indexOf(newDoc.action) === -1)\n' +
  '      throw({ forbidden: "A staff request is create, set-roles, set-groups, reset-password or disable." });\n' +
  '    return;\n' +
  '  }\n' +
  '  throw({ forbidden: "Only desk services write here (admins edit template: documents and file staff-request: documents)." });\n' +
  '}';

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
