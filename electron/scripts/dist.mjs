// `npm run dist`: packages installers with electron-builder. It needs the Electron binaries for
// the target platforms, which electron-builder downloads; where that is impossible, say so.
import { spawnSync } from 'node:child_process';

const r = spawnSync(
  process.execPath,
  [
    'node_modules/electron-builder/cli.js',
    '--config',
    'electron-builder.yml',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
if (r.status !== 0) {
  console.error(
    'switchboard: electron-builder failed. It downloads Electron and packaging tools for each target; on a machine without that network access packaging cannot run (see docs/packaging.md).',
  );
  process.exit(r.status ?? 1);
}
