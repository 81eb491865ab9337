/** Demo tickets with the real desk's distributions, for in-process benchmarks. */
import type { Ticket } from '../../../shared/domain';
import { createRng } from '../../../server/src/provision/random';
import { demoDirectory } from '../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../server/src/provision/demo-tickets';

/** `count` tickets over the last 90 days before `now` (seeded: the same every run). */
export function demoTicketsForBench(count: number, now: number): Ticket[] {
  const rng = createRng(20260301);
  const dir = demoDirectory(rng);
  return demoTickets(rng, {
    count,
    days: 90,
    now,
    agents: dir.agents,
    technicians: dir.technicians,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  }) as unknown as Ticket[];
}
