import { it } from 'vitest';
import { computeWallboard } from '../../../../shared/wallboard';
import { evaluateSla, isDoneState, type Ticket } from '../../../../shared/domain';
import { createRng } from '../../../../server/src/provision/random';
import { demoDirectory } from '../../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../../server/src/provision/demo-tickets';

const NOW = Date.UTC(2026, 10, 25, 12);
const min = (f: () => void, n = 8): string => {
  let best = Infinity;
  for (let i = 0; i < n; i++) { const t0 = performance.now(); f(); best = Math.min(best, performance.now() - t0); }
  return best.toFixed(1);
};
it('bench', () => {
  const rng = createRng(1);
  const dir = demoDirectory(rng);
  const tickets = demoTickets(rng, { count: 100_000, days: 30, now: NOW, agents: dir.agents, technicians: dir.technicians, callers: dir.callers, cis: dir.cis, kb: dir.kb }) as unknown as Ticket[];
  const opts = { now: NOW, dayStartMs: Date.UTC(2026, 10, 25), online: dir.agents.slice(0, 5), limit: 20 };
  const open = tickets.filter((t) => !isDoneState(t.kind, t.state));
  let k = 0;
  process.stdout.write(`evaluateSla open x${open.length}: ${min(() => { for (const t of open) evaluateSla(t, NOW + k++); })} ms\n`);
  process.stdout.write(`parse 100k: ${min(() => { let x = 0; for (const t of tickets) x += Date.parse(t.createdAt); k += x > 0 ? 1 : 0; })} ms\n`);
  process.stdout.write(`isDone 100k: ${min(() => { for (const t of tickets) if (isDoneState(t.kind, t.state)) k++; })} ms\n`);
  process.stdout.write(`wallboard: ${min(() => computeWallboard(tickets, { ...opts, now: NOW + k++ }))} ms\n`);
}, 300_000);
