/**
 * `npm run services`: desk services beside a CouchDB cluster (SWITCHBOARD_COUCH_URL and the
 * service account's SWITCHBOARD_SERVICE_USER / SWITCHBOARD_SERVICE_PASSWORD). Run several for
 * availability: work is claimed in CouchDB, so each piece is done once.
 */
import { loadServicesConfig, DEMO_SERVICE_PASSWORD } from '../services/config';
import { startDeskServices } from '../services';
import { createLogger } from '../log';

const log = createLogger('services');
const config = loadServicesConfig();
if (config.password === DEMO_SERVICE_PASSWORD)
  log.warn('using the demo service password; set SWITCHBOARD_SERVICE_PASSWORD for real use');
const services = await startDeskServices(config);
const shutdown = (): void => {
  services.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
