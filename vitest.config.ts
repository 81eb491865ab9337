import { defineConfig } from 'vitest/config';

// One runner, three layers. Unit tests are pure and fast; integration and e2e tests start the
// real embedded server (and, for e2e, Debian's Chromium) from test/support.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // A hang guard, not a speed target: the property tests take 2 s on an idle core and
          // missed vitest's default 5 s on a busy machine under coverage.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // expect.poll's default deadline is 1 s: on a loaded 2-core machine a push and its
          // answer can take longer. The assertions stay "eventually exactly this"; only the
          // deadline is generous (a hang guard, not a speed target).
          expect: { poll: { timeout: 20_000 } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          expect: { poll: { timeout: 20_000 } },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
    // Over all product code, untested files included (at 0%); `npm run test:coverage` prints
    // it per folder (test/support/coverage-by-folder.mjs). Code that only the browser runs
    // (renderer features) is covered by e2e in Chromium, which this Node coverage cannot see.
    coverage: {
      provider: 'v8',
      include: [
        'shared/**/*.ts',
        'server/src/**/*.ts',
        'electron/main/**/*.ts',
        'electron/preload/**/*.ts',
        'renderer/src/**/*.{ts,tsx}',
      ],
      exclude: ['**/*.d.ts', 'test/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: '.tsbuild/coverage',
      reportOnFailure: true,
    },
  },
});
