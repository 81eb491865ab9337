/**
 * `npm start` with an Electron binary: boots the desk (embedded server + demo data), builds the
 * renderer and main process, then runs the console; stops the server when the console quits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { bootDesk } from '../desk';
import { createLogger } from '../log';

const log = createLogger('start');
const binary = process.env.SWITCHBOARD_ELECTRON_BINARY;
if (!binary) {
  log.error('SWITCHBOARD_ELECTRON_BINARY is not set; run `npm start`.');
  process.exit(2);
}
for (const script of ['build:renderer', 'build:electron']) {
  const r = spawnSync('npm', ['run', '--silent', script], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (r.status !== 0) {
    log.error(`npm run ${script} failed`);
    process.exit(1);
  }
}
const desk = await bootDesk({ demo: true });
const servicesUrl = desk.services?.statusUrl();
if (servicesUrl)
  log.info(`desk services: ${servicesUrl}status, demo mailbox ${servicesUrl}mailbox`);
const electron = spawn(binary, [resolve('.')], {
  stdio: 'inherit',
  env: {
    ...process.env,
    SWITCHBOARD_COUCH_URL: desk.couchUrl,
    SWITCHBOARD_DB_PREFIX: desk.config.dbPrefix,
  },
});
electron.on('exit', (code) => {
  void desk.stop().then(() => process.exit(code ?? 0));
});
const forward = (): void => {
  electron.kill('SIGTERM');
};
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
