/**
 * `npm run setup [-- --demo] [--tickets N] [--seed S] [--from EXPORT.csv]`: provisions the CouchDB server at
 * SWITCHBOARD_COUCH_URL (default: the embedded one on SWITCHBOARD_PORT, which must be running)
 * with databases, security, design documents and staff users; idempotent. `--demo --from` fills
 * the demo desk with the tickets of a ServiceNow incident export instead of generated ones.
 */
import { parseArgs } from 'node:util';
import { loadServerConfig } from '../config';
import { couchAdmin, waitForCouch } from '../provision/couch-admin';
import { isEmptyDesk, provision } from '../provision/provision';
import { DEMO_STAFF } from '../provision/demo-directory';
import { seedDemoDesk } from '../provision/seed';
import { createLogger } from '../log';
import { importServiceNow } from '../../../shared/import/run-import';
import { csvRecords } from '../../../shared/import/csv-lines';
import { summaryLines } from '../../../shared/import/report';
import { couchImportPort, fileChunks, parseCsvFields } from '../import/servicenow-node';

const log = createLogger('setup');
const { values } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    tickets: { type: 'string' },
    seed: { type: 'string', default: '20260301' },
    force: { type: 'boolean', default: false },
    from: { type: 'string' },
  },
});
const tickets = values.tickets === undefined ? 5000 : Number(values.tickets);
if (!Number.isInteger(tickets) || tickets < 0 || tickets > 1_000_000) {
  log.error(`--tickets must be a whole number from 0 to 1000000, got "${values.tickets}"`);
  process.exit(2);
}
const config = loadServerConfig();
try {
  await waitForCouch(config.couchUrl, 10_000);
  const couch = couchAdmin(config.couchUrl, config.adminUser, config.adminPassword);
  const report = await provision(couch, config.dbPrefix, DEMO_STAFF);
  log.info(
    `provisioned ${config.couchUrl}: ${report.created.length} created, ${report.updated.length} updated`,
  );
  if (values.demo) {
    if ((await isEmptyDesk(couch, config.dbPrefix)) || values.force) {
      const written = await seedDemoDesk(couch, config.dbPrefix, {
        tickets: values.from === undefined ? tickets : 0,
        days: 90,
        seed: Number(values.seed),
        now: Date.now(),
      });
      log.info(
        `demo desk seeded: ${written.tickets} tickets, ${written.directory} directory documents`,
      );
      if (values.from !== undefined) {
        log.info(`importing the tickets of ${values.from} (ServiceNow incident export)`);
        const report = await importServiceNow(
          csvRecords(fileChunks(values.from), parseCsvFields),
          couchImportPort(couch, config.dbPrefix),
        );
        for (const line of summaryLines(report)) log.info(line);
        if (report.serverRefusals.length > 0) process.exitCode = 1;
      }
    } else {
      log.info('the desk already has tickets; demo data not added (use --force to add more)');
    }
  }
} catch (err) {
  log.error(err instanceof Error ? err.message : String(err));
  log.error(`is the server running at ${config.couchUrl}? Start it with \`npm run server\`.`);
  process.exit(1);
}
