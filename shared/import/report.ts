/** Words for an import's result (CLI summary, Import page) and the refusals CSV. Pure. */
import type { ImportReport, Refusal } from './run-import';

/** One line per kind of document, then the refusals and the source's own counters. */
export function summaryLines(r: ImportReport): string[] {
  const verb = r.dryRun ? 'would be ' : '';
  const counts = (c: { created: number; updated: number; unchanged: number }) =>
    `${c.created} ${verb}created, ${c.updated} ${verb}updated, ${c.unchanged} unchanged`;
  const states = Object.entries(r.states)
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => `${s} ${n}`)
    .join(', ');
  return [
    `${r.dryRun ? 'Dry run: nothing written. ' : ''}${r.rows} rows read, ${r.acceptedRows} imported, ${r.refusedRows} refused.`,
    `Incidents: ${counts(r.incidents)}${r.incidents.keptLocalEdits > 0 ? `, ${r.incidents.keptLocalEdits} edited in Switchboard since their import (kept as they are)` : ''}.`,
    `Activity entries: ${counts(r.activity)}${r.activity.differing > 0 ? `, ${r.activity.differing} differ from what is stored (kept)` : ''}.`,
    `Directory entries: ${counts(r.directory)}.`,
    ...(states ? [`Final ServiceNow states: ${states}.`] : []),
    ...(r.links > 0 ? [`Links between imported tickets: ${r.links}.`] : []),
    `reopen_count differs from the rows' history for ${r.reopenCountDiffers} incidents, reassignment_count for ${r.reassignmentCountDiffers} (both kept as ServiceNow's).`,
    ...(r.serverRefusals.length > 0
      ? [
          `The server refused ${r.serverRefusals.length} documents, first: ${r.serverRefusals[0]?.id}: ${r.serverRefusals[0]?.reason}`,
        ]
      : []),
  ];
}

const cell = (v: string): string => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The header of the refusals CSV. */
export const REFUSALS_HEADER = 'line,number,reason\n';

/** One refusal as a CSV line. */
export function refusalLine(r: Refusal): string {
  return `${r.line},${cell(r.number ?? '')},${cell(r.reason)}\n`;
}
