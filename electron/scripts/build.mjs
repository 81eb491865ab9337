// Bundles the main process and the preload for Electron. The preload is one file because a
// sandboxed preload cannot require other modules.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['electron'],
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: ['electron/main/index.ts'],
  outfile: 'dist/electron/main.cjs',
  format: 'cjs',
});
await build({
  ...common,
  entryPoints: ['electron/preload/index.ts'],
  outfile: 'dist/electron/preload.cjs',
  format: 'cjs',
});
console.log('switchboard: built dist/electron/main.cjs and dist/electron/preload.cjs');
