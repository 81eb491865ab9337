// postinstall: fetch the Electron binary when this machine can, and never fail the install when it
// cannot (no network, or ELECTRON_SKIP_BINARY_DOWNLOAD=1): `npm start` then runs the web console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let installer;
try {
  installer = require.resolve('electron/install.js');
} catch {
  process.exit(0);
}
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    'switchboard: ELECTRON_SKIP_BINARY_DOWNLOAD is set; the Electron binary was not downloaded.',
  );
  process.exit(0);
}
const r = spawnSync(process.execPath, [installer], {
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
let ok = r.status === 0;
try {
  ok = ok && existsSync(require('electron'));
} catch {
  ok = false;
}
console.log(
  ok
    ? 'switchboard: Electron binary ready.'
    : 'switchboard: the Electron binary could not be downloaded; `npm start` will serve the web console instead.',
);
