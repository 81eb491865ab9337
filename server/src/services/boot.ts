/** Starts desk services beside an embedded desk (npm start, npm run web, npm run server). */
import { superviseServices, type ServicesSupervisor } from './supervise';

/** Desk services for the server at `couchUrl`, unless SWITCHBOARD_SERVICES=off. */
export async function startServicesFor(
  couchUrl: string,
  prefix: string,
  env: NodeJS.ProcessEnv,
  usersAdmin?: { readonly user: string; readonly password: string },
): Promise<ServicesSupervisor | undefined> {
  if (env.SWITCHBOARD_SERVICES === 'off') return undefined;
  return superviseServices({
    ...env,
    // Staff administration writes _users; only desk services gets these credentials.
    ...(usersAdmin && !env.SWITCHBOARD_USERS_ADMIN_USER
      ? {
          SWITCHBOARD_USERS_ADMIN_USER: usersAdmin.user,
          SWITCHBOARD_USERS_ADMIN_PASSWORD: usersAdmin.password,
        }
      : {}),
    SWITCHBOARD_COUCH_URL: couchUrl,
    SWITCHBOARD_DB_PREFIX: prefix,
  });
}
