import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import {
  designDocFor,
  servicesValidateDocUpdate,
} from '../../../../server/src/provision/design-docs';

// PouchDB Server recompiles validate_doc_update on every write, so the domain rules bundled into
// it must stay small: the SLA engine, its default tables and luxon belong to the clients only.
const SLA_MARKERS = ['formatToParts', 'IANAZone', 'Europe/London', 'business-hours'];

describe('the rules bundled into validate_doc_update', () => {
  it('carry no SLA engine, no default policies and no luxon, and stay small', async () => {
    const doc = await designDocFor('tickets');
    const code = String(doc.validate_doc_update);
    for (const marker of SLA_MARKERS) expect(code, marker).not.toContain(marker);
    // 18.0 KB once the reachability of offline moves (issue 20), server-side metadata truth
    // (issue 21) and admin imports (issue 27) joined the rules; the SLA engine alone is larger.
    expect(code.length).toBeLessThan(24_000);
    // Still the real rules: the messages of the ticket and activity checks are there.
    expect(code).toContain('cannot be changed once the ticket exists');
    expect(code).toContain('Activity is append-only');
  });

  it('give the directory the SLA configuration rule, still without the engine or the library', async () => {
    const doc = await designDocFor('directory');
    const code = String(doc.validate_doc_update);
    for (const marker of ['formatToParts', 'IANAZone', 'business-hours', 'getHolidays'])
      expect(code, marker).not.toContain(marker);
    expect(code).toContain('Only admins change the SLA configuration.');
    expect(code).toContain('Only supervisors and admins change reference data.');
    // 29.1 KB: one entry serves every database, with the service account's rules (issue 24) and
    // the SLA configuration's; the SLA engine and the holiday library stay out (markers above).
    expect(code.length).toBeLessThan(36_000);
  });

  it('give the services database the shared template rule, and nothing of the domain', async () => {
    const code = await servicesValidateDocUpdate();
    expect(code).toContain('Only admins write mail templates.');
    expect(code).toContain('Unknown placeholder');
    expect(code).not.toContain('Activity is append-only');
    // 4.7 KB: the services database takes a write every few seconds (status, jobs).
    expect(code.length).toBeLessThan(8_000);
  });

  it('would notice: bundling the whole domain index pulls all of them in', async () => {
    const out = await build({
      stdin: {
        // The engine and the default tables setup provisions (server/src/provision/sla-defaults).
        contents:
          "export * from './shared/domain'; export * from './server/src/provision/sla-defaults';",
        resolveDir: new URL('../../../../', import.meta.url).pathname,
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'all',
      target: 'es2019',
      minify: true,
      platform: 'neutral',
      // The holiday library's dependencies are CommonJS packages found by their main field.
      mainFields: ['module', 'main'],
    });
    const code = out.outputFiles[0]!.text;
    for (const marker of [...SLA_MARKERS, 'getHolidays']) expect(code, marker).toContain(marker);
  });
});
