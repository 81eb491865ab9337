/**
 * Builds the `_design/switchboard` document of each database. The validation code is bundled
 * from shared/domain with esbuild at provisioning time, so server and client share one rulebook.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { ServerDatabaseName } from '../../../shared/sync/databases';

/** Design document id used in every Switchboard database. */
export const DESIGN_DOC_ID = '_design/switchboard';

const bundleCache = new Map<string, Promise<string>>();

/** The directory has its own entry (the SLA configuration's rules); every other database shares one. */
const entryFor = (db: ServerDatabaseName): string =>
  db === 'directory' ? '../design/validate-directory-entry.ts' : '../design/validate-entry.ts';

async function validationBundle(file: string): Promise<string> {
  const entry = fileURLToPath(new URL(file, import.meta.url));
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'switchboardRules',
    // CouchDB 3.2+ ships SpiderMonkey 78 or newer; ES2019 stays inside what it parses.
    target: 'es2019',
    minify: true,
    legalComments: 'none',
    platform: 'neutral',
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no validation bundle');
  return out.text;
}

/** The design document for `db`, with a validate_doc_update that embeds the shared rules. */
export async function designDocFor(db: ServerDatabaseName): Promise<Record<string, unknown>> {
  const file = entryFor(db);
  let cached = bundleCache.get(file);
  if (!cached) bundleCache.set(file, (cached = validationBundle(file)));
  const bundle = await cached;
  const validate =
    'function (newDoc, oldDoc, userCtx, secObj) {\n' +
    bundle +
    `\nvar verdict = switchboardRules.validate(${JSON.stringify(db)}, newDoc, oldDoc, userCtx);\n` +
    'if (!verdict.ok) { throw({ forbidden: verdict.reason }); }\n}';
  const doc: Record<string, unknown> = {
    _id: DESIGN_DOC_ID,
    language: 'javascript',
    validate_doc_update: validate,
  };
  if (db === 'tickets') {
    // Field technicians pull only their own work (DESIGN.md §3). A design-document filter works
    // on PouchDB Server and CouchDB 3 alike, unlike `filter=_selector`.
    // PouchDB Server passes no userCtx to filters and dies when one throws: the assignee comes as
    // a query parameter and the code never throws. Any member may ask for anyone's work this way;
    // the pull filter is for speed and storage, `_security` is the boundary (docs/sync.md).
    doc.filters = {
      assigned:
        'function (doc, req) { var q = (req && req.query) || {}; ' +
        'if (!doc || typeof doc._id !== "string" || doc._id.indexOf("_design/") === 0) return false; ' +
        'return typeof q.assignee === "string" && doc.assigneeId === q.assignee; }',
    };
    // A CI's ticket history, for technicians' devices, which hold their own work orders only.
    doc.views = {
      by_ci: {
        map:
          'function (doc) { if (doc && typeof doc.ciId === "string" && doc._id.indexOf("_design/") !== 0) ' +
          'emit(doc.ciId, { title: doc.title, kind: doc.kind, state: doc.state, createdAt: doc.createdAt }); }',
      },
    };
  }
  if (db === 'activity') {
    // Technicians' devices keep the activity of work orders only (not a security boundary).
    doc.filters = {
      workorders:
        'function (doc) { return !!doc && typeof doc.ticketNumber === "string" && ' +
        'doc.ticketNumber.indexOf("WO-") === 0; }',
    };
  }
  return doc;
}

/**
 * The validate_doc_update of the services database (server/src/design/services-entry.ts, with
 * the shared mail-template rule).
 */
export async function servicesValidateDocUpdate(): Promise<string> {
  const file = '../design/services-entry.ts';
  let cached = bundleCache.get(file);
  if (!cached) bundleCache.set(file, (cached = validationBundle(file)));
  const bundle = await cached;
  return (
    'function (newDoc, oldDoc, userCtx, secObj) {\n' +
    bundle +
    '\nvar verdict = switchboardRules.validate(newDoc, oldDoc, userCtx);\n' +
    'if (!verdict.ok) { throw({ forbidden: verdict.reason }); }\n}'
  );
}
