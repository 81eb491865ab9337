// `npm start`: the desk server with demo data and the Electron console; without an Electron
// binary, says so in one line and carries on exactly as `npm run web` does.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const entry = binary ? 'server/src/cli/electron.ts' : 'server/src/cli/web.ts';
if (!binary) {
  console.log(
    'switchboard: no Electron binary on this machine (npm could not download it); starting the web console instead, as `npm run web` does.',
  );
}
const child = spawn(process.execPath, ['--import', 'tsx', entry], {
  stdio: 'inherit',
  env: { ...process.env, ...(binary ? { SWITCHBOARD_ELECTRON_BINARY: binary } : {}) },
});
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
