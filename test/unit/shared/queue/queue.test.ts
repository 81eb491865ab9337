import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BUILT_IN_VIEWS,
  compareTickets,
  compileFilter,
  QueueIndex,
  rowsFromNewest,
  applyToNewest,
  type NewestTickets,
  validateView,
  type QueueContext,
  type QueueView,
} from '../../../../shared/queue';
import type { Ticket } from '../../../../shared/domain';
import { createRng } from '../../../../server/src/provision/random';
import { demoDirectory } from '../../../../server/src/provision/demo-directory';
import { demoTickets } from '../../../../server/src/provision/demo-tickets';
import { DEFAULT_SLA_CONFIG } from '../../../../server/src/provision/sla-defaults';

const NOW = Date.UTC(2026, 10, 25, 12);
function desk(count: number, seed = 1): Ticket[] {
  const rng = createRng(seed);
  const dir = demoDirectory(rng);
  return demoTickets(rng, {
    count,
    days: 30,
    now: NOW,
    agents: dir.agents,
    technicians: dir.technicians,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  }) as unknown as Ticket[];
}
const ctx: QueueContext = {
  me: 'alice',
  groupIds: ['group:service-desk', 'group:desktop'],
  now: NOW,
  sla: DEFAULT_SLA_CONFIG,
};
const brute = (all: Iterable<Ticket>, v: QueueView, c = ctx) =>
  [...all].filter(compileFilter(v.filter, c)).sort(compareTickets(v.sort));
const views: QueueView[] = [
  ...BUILT_IN_VIEWS,
  {
    id: 'text',
    name: 'Text',
    filter: { text: 'printer offline' },
    sort: { field: 'title', dir: 'asc' },
  },
  {
    id: 'p1p2-net',
    name: 'P1/P2 network',
    filter: { priorities: [1, 2], groups: ['group:network'], kinds: ['incident'] },
    sort: { field: 'createdAt', dir: 'desc' },
  },
];

describe('queue filters (table)', () => {
  const base = desk(1)[0]!;
  const t = (patch: Partial<Ticket>): Ticket => ({ ...base, ...patch });
  it.each([
    [
      'my work: assigned to me, open',
      'my-work',
      t({ assigneeId: 'alice', state: 'in-progress' }),
      true,
    ],
    [
      'my work: mine but resolved',
      'my-work',
      t({ assigneeId: 'alice', state: 'resolved', resolution: { code: 'x', notes: 'y' } }),
      false,
    ],
    [
      'unassigned in my group',
      'unassigned',
      t({ assigneeId: null, groupId: 'group:desktop', state: 'new' }),
      true,
    ],
    [
      'unassigned elsewhere',
      'unassigned',
      t({ assigneeId: null, groupId: 'group:network', state: 'new' }),
      false,
    ],
    ['my groups', 'my-groups', t({ groupId: 'group:service-desk', state: 'in-progress' }), true],
    [
      'all open excludes closed',
      'all-open',
      t({ state: 'closed', resolution: { code: 'x', notes: 'y' } }),
      false,
    ],
  ])('%s', (_n, id, ticket, expected) => {
    const v = BUILT_IN_VIEWS.find((x) => x.id === id)!;
    expect(compileFilter(v.filter, ctx)(ticket)).toBe(expected);
  });
  it('free text needs every word, in number, title or description', () => {
    const f = compileFilter({ text: 'VPN  drops' }, ctx);
    expect(f(t({ title: 'VPN drops at HQ' }))).toBe(true);
    expect(f(t({ title: 'VPN is slow', description: 'and it drops' }))).toBe(true);
    expect(f(t({ title: 'VPN is slow', description: 'fine' }))).toBe(false);
    expect(compileFilter({ text: base.number.toLowerCase() }, ctx)(base)).toBe(true);
  });

  it('finds an imported ticket by the number it had in the tool it came from', () => {
    const imported = t({
      title: 'VPN drops',
      imported: { source: 'servicenow', number: 'INC0010042' },
    });
    expect(compileFilter({ text: 'inc0010042' }, ctx)(imported)).toBe(true);
    expect(compileFilter({ text: 'INC0010042 vpn' }, ctx)(imported)).toBe(true);
    expect(compileFilter({ text: 'INC0010042' }, ctx)(t({}))).toBe(false);
  });
});

describe('queue index', () => {
  const all = desk(3000);
  it('answers every view like a brute-force filter and sort', () => {
    const idx = new QueueIndex();
    idx.load(all);
    for (const v of views) {
      const expected = brute(all, v);
      expect(idx.rows(v, ctx).map((x) => x.number)).toEqual(expected.map((x) => x.number));
      expect(idx.count(v, ctx)).toBe(expected.length);
    }
    expect(idx.count(BUILT_IN_VIEWS[4]!, ctx)).toBe(3000);
  });

  it('stays equal to a recomputation through any sequence of changes (property)', () => {
    const pool = all.slice(0, 400);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            i: fc.nat(pool.length - 1),
            op: fc.constantFrom('assign-me', 'unassign', 'title', 'remove', 'touch', 'group'),
            m: fc.nat(1000),
          }),
          { maxLength: 60 },
        ),
        (ops) => {
          const idx = new QueueIndex();
          idx.load(pool);
          const current = new Map(pool.map((t) => [t.number, t]));
          for (const v of views) idx.rows(v, ctx); // cache every view first
          for (const o of ops) {
            const t = pool[o.i]!;
            const updatedAt = new Date(NOW + o.m * 1000).toISOString();
            if (o.op === 'remove') {
              current.delete(t.number);
              idx.apply({ removed: t.number });
              continue;
            }
            const prev = current.get(t.number) ?? t;
            const next: Ticket =
              o.op === 'assign-me'
                ? { ...prev, assigneeId: 'alice', updatedAt }
                : o.op === 'unassign'
                  ? { ...prev, assigneeId: null, updatedAt }
                  : o.op === 'title'
                    ? { ...prev, title: `printer offline ${o.m}`, updatedAt }
                    : o.op === 'group'
                      ? { ...prev, groupId: 'group:desktop', updatedAt }
                      : { ...prev, updatedAt };
            current.set(t.number, next);
            idx.apply(next);
          }
          for (const v of views)
            expect(idx.rows(v, ctx).map((x) => x.number)).toEqual(
              brute(current.values(), v).map((x) => x.number),
            );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('answers typed searches (narrowed from earlier ones) like a brute-force filter, through changes', () => {
    const typing = [
      'p',
      'pr',
      'pri',
      'print',
      'printer',
      'printer o',
      'printer off',
      'printer',
      'print',
      'net',
      'network',
      'network p1',
      'inc',
      'inc-',
      'offline printer',
      'x',
      '',
    ];
    const changed: Ticket = {
      ...all[3]!,
      title: 'printer offline again',
      updatedAt: new Date(NOW).toISOString(),
    };
    const after = all.map((t) => (t.number === changed.number ? changed : t));
    for (const base of views) {
      const idx = new QueueIndex();
      idx.load(all);
      idx.rows(base, ctx); // the view on screen, as when the user starts typing
      let current = all;
      for (const [i, text] of typing.entries()) {
        if (i === 6) {
          idx.apply(changed); // a change arrives while typing: cached searches follow it
          current = after;
        }
        const v: QueueView = { ...base, filter: { ...base.filter, text } };
        expect(idx.rows(v, ctx).map((x) => x.number)).toEqual(
          brute(current, v).map((x) => x.number),
        );
      }
    }
  });

  it('applies batches like one change at a time: pulls, re-pulls, removals (property)', () => {
    const pool = all.slice(0, 300);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            i: fc.nat(pool.length - 1),
            op: fc.constantFrom('put', 'assign-me', 'remove', 'touch'),
            m: fc.nat(1000),
          }),
          { minLength: 40, maxLength: 200 },
        ),
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 6 }),
        fc.nat(150),
        (ops, sizes, preloaded) => {
          const one = new QueueIndex();
          const bulk = new QueueIndex();
          one.load(pool.slice(0, preloaded));
          bulk.load(pool.slice(0, preloaded));
          for (const v of views) bulk.rows(v, ctx); // cached views are what a batch updates
          const changes = ops.map((o): Ticket | { readonly removed: string } => {
            const t = pool[o.i]!;
            const updatedAt = new Date(NOW + o.m * 1000).toISOString();
            if (o.op === 'remove') return { removed: t.number };
            if (o.op === 'assign-me') return { ...t, assigneeId: 'alice', updatedAt };
            if (o.op === 'touch') return { ...t, updatedAt };
            return t;
          });
          let at = 0;
          for (let b = 0; at < changes.length; b++) {
            const n = sizes[b % sizes.length]!;
            bulk.applyMany(changes.slice(at, at + n));
            at += n;
          }
          for (const c of changes) one.apply(c);
          expect(bulk.size).toBe(one.size);
          for (const v of views)
            expect(bulk.rows(v, ctx).map((x) => x.number)).toEqual(
              one.rows(v, ctx).map((x) => x.number),
            );
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('saved views', () => {
  it('accepts a well-formed view and explains what is wrong with a bad one', () => {
    expect(validateView(BUILT_IN_VIEWS[0]).ok).toBe(true);
    const bad = (v: unknown) => {
      const r = validateView(v);
      return r.ok ? '' : r.error;
    };
    expect(bad(null)).toMatch(/object/);
    expect(
      bad({ id: 'Bad Id', name: 'x', filter: {}, sort: { field: 'number', dir: 'asc' } }),
    ).toMatch(/id/);
    expect(bad({ id: 'v', name: '', filter: {}, sort: { field: 'number', dir: 'asc' } })).toMatch(
      /name/,
    );
    expect(bad({ id: 'v', name: 'x', filter: {}, sort: { field: 'evil', dir: 'asc' } })).toMatch(
      /Sort by/,
    );
    expect(
      bad({
        id: 'v',
        name: 'x',
        filter: { kinds: 'incident' },
        sort: { field: 'number', dir: 'asc' },
      }),
    ).toMatch(/kinds/);
    expect(
      bad({ id: 'v', name: 'x', filter: { sla: 'soon' }, sort: { field: 'number', dir: 'asc' } }),
    ).toMatch(/sla/);
  });
});

describe('first rows before the index has loaded', () => {
  it('are exactly the first rows of every newest-first view, and nothing for other orders', () => {
    const all = desk(3000, 5);
    const newest = [...all].sort(compareTickets({ field: 'updatedAt', dir: 'desc' })).slice(0, 200);
    const index = new QueueIndex();
    index.load(all);
    const views: QueueView[] = [
      ...BUILT_IN_VIEWS,
      {
        id: 'p1-mine',
        name: 'P1 in my groups',
        filter: { priorities: [1, 2], groups: 'mine' },
        sort: { field: 'updatedAt', dir: 'desc' },
      },
      {
        id: 'text',
        name: 'Printers',
        filter: { text: 'printer' },
        sort: { field: 'updatedAt', dir: 'desc' },
      },
    ];
    let checked = 0;
    for (const view of views) {
      const early = rowsFromNewest(newest, view, ctx);
      const full = index.rows(view, ctx);
      if (view.sort.field === 'updatedAt' && view.sort.dir === 'desc') {
        expect(early.map((t) => t.number)).toEqual(
          full.slice(0, early.length).map((t) => t.number),
        );
        if (early.length > 0) checked += 1;
      } else expect(early).toEqual([]);
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('stay the first rows while changes arrive (updates, older versions, removals)', () => {
    const all = desk(2000, 7);
    const byNewest = [...all].sort(compareTickets({ field: 'updatedAt', dir: 'desc' }));
    let newest: NewestTickets = {
      tickets: byNewest.slice(0, 150),
      after: byNewest[150]!.updatedAt,
    };
    expect(newest.tickets.every((t) => t.updatedAt > newest.after!)).toBe(true);
    const index = new QueueIndex();
    index.load(all);
    const recent = BUILT_IN_VIEWS.find((v) => v.id === 'recent')!;
    const base = Date.parse(byNewest[0]!.updatedAt);
    for (let i = 0; i < 300; i++) {
      const t = all[(i * 37) % all.length]!;
      const change: Ticket | { readonly removed: string } =
        i % 10 === 0
          ? { removed: t.number }
          : {
              ...t,
              title: `changed ${i}`,
              // Mostly new versions; some replicated ones older than the preview's horizon.
              updatedAt: new Date(
                i % 3 === 0 ? Date.parse(t.updatedAt) - 1 : base + i * 1000,
              ).toISOString(),
            };
      if ('removed' in change && !index.get(change.removed)) continue;
      index.apply(change);
      newest = applyToNewest(newest, change);
      const early = rowsFromNewest(newest.tickets, recent, ctx);
      expect(early.map((x) => `${x.number} ${x.title}`)).toEqual(
        index
          .rows(recent, ctx)
          .slice(0, early.length)
          .map((x) => `${x.number} ${x.title}`),
      );
    }
    expect(newest.tickets.length).toBeGreaterThan(150);
  });
});
