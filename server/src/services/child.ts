/** The desk services process, forked by the supervisor: starts, reports its ports, runs. */
import { loadServicesConfig } from './config';
import { startDeskServices } from './index';
import { createLogger } from '../log';

const log = createLogger('services');
const services = await startDeskServices(loadServicesConfig());
process.send?.({
  type: 'listening',
  statusUrl: services.statusUrl,
  inboundPort: services.inboundPort,
});
const stop = (): void => {
  services.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      log.error('stopping failed', err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
