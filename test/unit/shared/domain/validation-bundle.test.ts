import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { designDocFor } from '../../../../server/src/provision/design-docs';

// PouchDB Server recompiles validate_doc_update on every write, so the domain rules bundled into
// it must stay small: the SLA engine, its default tables and luxon belong to the clients only.
const SLA_MARKERS = ['formatToParts', 'IANAZone', 'Europe/London', 'business-hours'];

describe('the rules bundled into validate_doc_update', () => {
  it('carry no SLA engine, no default policies and no luxon, and stay small', async () => {
    const doc = await designDocFor('tickets');
    const code = String(doc.validate_doc_update);
    for (const marker of SLA_MARKERS) expect(code, marker).not.toContain(marker);
    expect(code.length).toBeLessThan(16_000);
    // Still the real rules: the messages of the ticket and activity checks are there.
    expect(code).toContain('cannot be changed once the ticket exists');
    expect(code).toContain('Activity is append-only');
  });

  it('would notice: bundling the whole domain index pulls all of them in', async () => {
    const out = await build({
      stdin: {
        contents: "export * from './shared/domain';",
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
    });
    const code = out.outputFiles[0]!.text;
    for (const marker of SLA_MARKERS) expect(code, marker).toContain(marker);
  });
});
