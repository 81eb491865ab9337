import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const couch =
  process.env.SWITCHBOARD_COUCH_URL ?? `http://127.0.0.1:${process.env.SWITCHBOARD_PORT ?? '5984'}`;

// The renderer is one app for both shells: Electron loads the built files from its own
// protocol, the web shell serves them from server/src/web-host.ts. `npm run dev:web` proxies
// /couch to the server the same way the web host does, so cookies stay same-origin.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [
    react(),
    // The web console's offline app shell: a Workbox service worker precaches every built file
    // under its content hash, so a reload with the web host unreachable still starts the
    // console from the local replica. Each build's worker replaces the previous one as soon as
    // it is installed and deletes the old shell's cache. The worker is registered by
    // renderer/src/platform/offline-shell.ts in the web shell only (Electron serves the same
    // files from its own app:// protocol, locally).
    VitePWA({
      injectRegister: null,
      manifest: false,
      filename: 'sw.js',
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,ico,woff,woff2}'],
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/couch\//],
        cleanupOutdatedCaches: true,
        clientsClaim: true,
        skipWaiting: true,
        cacheId: 'switchboard',
        // Where the server is, from the web host: the last answer serves while it is down.
        runtimeCaching: [
          {
            urlPattern: ({ url }) => url.pathname.endsWith('/switchboard-config.json'),
            handler: 'NetworkFirst',
            options: { cacheName: 'switchboard-config', networkTimeoutSeconds: 4 },
          },
        ],
      },
    }),
  ],
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
