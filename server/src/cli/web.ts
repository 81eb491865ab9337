/**
 * `npm run web`: the console as a web shell. Boots the desk (embedded server + demo data),
 * builds the renderer when its sources changed, and serves it on http://127.0.0.1:5173.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootDesk } from '../desk';
import { startWebHost } from '../web-host';
import { DEMO_ADMIN_PASSWORD, DEMO_USER_PASSWORD } from '../config';
import { createLogger } from '../log';

const log = createLogger('web');
const rendererDir = resolve('dist/renderer');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const index = join(rendererDir, 'index.html');
const stale =
  !existsSync(index) ||
  Math.max(newestMtime('renderer'), newestMtime('shared')) > statSync(index).mtimeMs;
if (stale) {
  log.info('building the renderer…');
  const r = spawnSync(
    process.execPath,
    [resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) {
    log.error('the renderer build failed');
    process.exit(1);
  }
}

const desk = await bootDesk({ demo: true });
const web = await startWebHost({
  host: '127.0.0.1',
  port: desk.config.webPort,
  rendererDir,
  couchUrl: desk.couchUrl,
  dbPrefix: desk.config.dbPrefix,
  servicesUrl: () => desk.services?.statusUrl(),
});
log.info(`Switchboard web console: ${web.url}`);
if (desk.services)
  log.info(
    `desk services: ${web.url}desk-services/status, demo mailbox ${web.url}desk-services/mailbox`,
  );
log.info(
  `sign in as alice / ${DEMO_USER_PASSWORD} (agent); also ben, tara (technician), sam (supervisor), ada (admin)`,
);
if (desk.config.adminPassword === DEMO_ADMIN_PASSWORD)
  log.warn('the server uses the demo admin password');
if (!process.env.CI && process.env.SWITCHBOARD_NO_BROWSER === undefined) {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [web.url], { stdio: 'ignore', detached: true });
  child.on('error', () => log.info(`open ${web.url} in your browser`));
  child.unref();
}

const shutdown = (): void => {
  Promise.all([web.close(), desk.stop()]).then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
