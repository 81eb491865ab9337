/** `npm run server`: runs the embedded server in the foreground until Ctrl+C. */
import { loadServerConfig, DEMO_ADMIN_PASSWORD } from '../config';
import { startEmbeddedServer } from '../embedded';
import { createLogger } from '../log';
import { startServicesFor } from '../services/boot';

const log = createLogger('server');
const config = loadServerConfig();
const server = await startEmbeddedServer(config);
log.info(`CouchDB-compatible server on ${server.url} (data in ${config.dataDir})`);
// Desk services need the service account `npm run setup` provisions; until then they retry.
const services = await startServicesFor(server.url, config.dbPrefix, process.env, {
  user: config.adminUser,
  password: config.adminPassword,
});
if (config.adminPassword === DEMO_ADMIN_PASSWORD) {
  log.warn('using the demo admin password; set SWITCHBOARD_ADMIN_PASSWORD for real use');
}
const shutdown = (): void => {
  Promise.all([services?.stop(), server.stop()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
