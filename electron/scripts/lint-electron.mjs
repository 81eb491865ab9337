// `npm run lint:electron`: electronegativity's static security checks over electron/, failing on
// any high or medium finding. AvailableSecurityFixesGlobalCheck is excluded because it downloads
// Electron's release list, and this check must run without network access (docs/security.md).
// Findings reviewed by a person are silenced where they occur with an `eng-disable` comment that
// says why, and are listed in docs/security.md.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const run = require('@doyensec/electronegativity');

const FAIL_AT = new Set(['HIGH', 'MEDIUM']);
const excluded = ['AvailableSecurityFixesGlobalCheck'];

// The tool logs progress with console.log; keep this script's output to the findings.
const log = console.log;
console.log = () => {};
let result;
try {
  result = await run({
    input: 'electron',
    isRelative: true,
    excludeFromScan: excluded,
    electronVersionOverride: electronVersion,
  });
} finally {
  console.log = log;
}

const name = (s) => (typeof s?.format === 'function' ? s.format() : String(s?.name ?? s));
const findings = result.issues.map((i) => ({
  id: i.id,
  severity: name(i.severity),
  confidence: name(i.confidence),
  where: `electron/${i.file}:${i.location.line}:${i.location.column}`,
  review: i.manualReview ? ' (review required)' : '',
  text: i.description,
}));
for (const f of findings) {
  console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(10)} ${f.id}${f.review}`);
  console.log(`              ${f.where}: ${f.text}`);
}
const errors = result.errors.filter((e) => !e.tolerable);
for (const e of errors) console.log(`parse error: ${e.file}: ${e.message}`);
const failing = findings.filter((f) => FAIL_AT.has(f.severity));
console.log(
  `electronegativity ${require('@doyensec/electronegativity/package.json').version} on electron/ ` +
    `(Electron ${electronVersion}; ${result.atomicChecks} atomic + ${result.globalChecks} global checks, ` +
    `excluded: ${excluded.join(', ')}): ${findings.length} findings, ${failing.length} high/medium, ` +
    `${errors.length} parse errors`,
);
process.exit(failing.length > 0 || errors.length > 0 ? 1 : 0);
