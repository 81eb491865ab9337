import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const couch =
  process.env.SWITCHBOARD_COUCH_URL ?? `http://127.0.0.1:${process.env.SWITCHBOARD_PORT ?? '5984'}`;

// The renderer is one app for both shells: Electron loads the built files from its own
// protocol, the web shell serves them from server/src/web-host.ts. `npm run dev:web` proxies
// /couch to the server the same way the web host does, so cookies stay same-origin.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  define: { __APP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0') },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/couch': { target: couch, rewrite: (p) => p.replace(/^\/couch/, '') } },
  },
});
