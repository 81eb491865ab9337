/** Starts desk services beside an embedded desk (npm start, npm run web, npm run server). */
import { superviseServices, type ServicesSupervisor } from './supervise';

/** Desk services for the server at `couchUrl`, unless SWITCHBOARD_SERVICES=off. */
export async function startServicesFor(
  couchUrl: string,
  prefix: string,
  env: NodeJS.ProcessEnv,
): Promise<ServicesSupervisor | undefined> {
  if (env.SWITCHBOARD_SERVICES === 'off') return undefined;
  return superviseServices({
    ...env,
    SWITCHBOARD_COUCH_URL: couchUrl,
    SWITCHBOARD_DB_PREFIX: prefix,
  });
}
