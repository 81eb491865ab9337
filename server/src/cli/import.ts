/**
 * `npm run import -- servicenow FILE.csv [--dry-run] [--date-format d/m/yyyy] [--refusals OUT.csv]`:
 * imports a ServiceNow incident export (an audit-trail CSV, one row per update) into the server
 * at SWITCHBOARD_COUCH_URL (default: the embedded one, which must be running) with the admin
 * credentials, streaming. Idempotent: run it again after a crash or with a later export.
 * docs/import.md has the mapping.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { csvRecords } from '../../../shared/import/csv-lines';
import { REFUSALS_HEADER, refusalLine, summaryLines } from '../../../shared/import/report';
import { importServiceNow } from '../../../shared/import/run-import';
import { DATE_FORMATS, type DateFormat } from '../../../shared/import/servicenow';
import { loadServerConfig } from '../config';
import { couchAdmin, waitForCouch } from '../provision/couch-admin';
import { couchImportPort, fileChunks, parseCsvFields } from '../import/servicenow-node';
import { createLogger } from '../log';

const log = createLogger('import');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    'date-format': { type: 'string', default: 'd/m/yyyy' },
    refusals: { type: 'string' },
    batch: { type: 'string', default: '200' },
  },
});
const [source, file] = positionals;
const usage =
  'usage: npm run import -- servicenow FILE.csv [--dry-run] [--date-format d/m/yyyy|m/d/yyyy|yyyy-mm-dd] [--refusals OUT.csv]';
if (source !== 'servicenow' || !file) {
  log.error(usage);
  process.exit(2);
}
const dateFormat = values['date-format'] as DateFormat;
if (!(DATE_FORMATS as readonly string[]).includes(dateFormat)) {
  log.error(`--date-format must be one of ${DATE_FORMATS.join(', ')}`);
  process.exit(2);
}
const batch = Number(values.batch);
if (!Number.isInteger(batch) || batch < 1 || batch > 5000) {
  log.error('--batch must be a whole number of incidents from 1 to 5000');
  process.exit(2);
}
const refusalsPath = values.refusals ?? `${basename(file).replace(/\.csv$/i, '')}.refusals.csv`;
const config = loadServerConfig();
let refusals: WriteStream | null = null;
try {
  await waitForCouch(config.couchUrl, 10_000);
  const couch = couchAdmin(config.couchUrl, config.adminUser, config.adminPassword);
  const started = Date.now();
  const report = await importServiceNow(
    csvRecords(fileChunks(file), parseCsvFields),
    couchImportPort(couch, config.dbPrefix),
    {
      dryRun: values['dry-run'],
      dateFormat,
      batchIncidents: batch,
      onProgress: (p) =>
        log.info(`progress: ${p.rows} rows, ${p.incidents} incidents, ${p.refused} refused`),
      onRefusal: (r) => {
        if (!refusals) {
          refusals = createWriteStream(refusalsPath);
          refusals.write(REFUSALS_HEADER);
        }
        refusals.write(refusalLine(r));
      },
    },
  );
  for (const line of summaryLines(report)) log.info(line);
  if (report.refusedRows > 0) {
    log.warn(
      `${report.refusedRows} rows refused, each with its line and reason in ${refusalsPath}`,
    );
    for (const r of report.refusals.slice(0, 10))
      log.warn(`  line ${r.line}${r.number ? ` (${r.number})` : ''}: ${r.reason}`);
  }
  log.info(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await new Promise<void>((resolve) => (refusals ? refusals.end(resolve) : resolve()));
  process.exit(report.serverRefusals.length > 0 ? 1 : 0);
} catch (err) {
  log.error(err instanceof Error ? err.message : String(err));
  log.error(`is the server running at ${config.couchUrl}? Start it with \`npm run server\`.`);
  process.exit(1);
}
