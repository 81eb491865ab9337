/**
 * Property-based fuzzing (fast-check) of everything that reaches the app from outside its own
 * code on the device: IPC payloads between renderer and main, `switchboard://` deep links from
 * the OS, the settings file on disk, preferences and saved views in the browser's storage, and
 * attachments a technician picks. Properties: nothing throws, a bad item is refused or reset
 * with a message, a good item comes through unchanged.
 */
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import {
  registerIpc,
  registerSendHandlers,
  type MainHandlers,
  type SendHandlers,
} from '../../../electron/main/ipc/register';
import { memoryLogger } from '../../../electron/main/log';
import {
  defaultSettings,
  loadSettings,
  setAsidePath,
  settingsPath,
  settingsSchema,
} from '../../../electron/main/settings';
import {
  invokeChannels,
  sendChannels,
  type InvokeChannel,
  type SendChannel,
} from '../../../shared/ipc/contract';
import { formatDeepLink, isCanonicalDeepLink, parseDeepLink } from '../../../shared/ipc/deep-link';
import { parseWindowRoute, windowRouteHash } from '../../../shared/ipc/window-routes';
import { SORT_FIELDS, compileFilter, compareTickets, validateView } from '../../../shared/queue';
import {
  DEFAULT_WALL_SETTINGS,
  MAX_SAVED_VIEWS,
  checkWallSettings,
  restoreUiPrefs,
  type UiPrefs,
} from '../../../renderer/src/app/ui-prefs';
import { demoTickets } from '../../../server/src/provision/demo-tickets';
import { demoDirectory } from '../../../server/src/provision/demo-directory';
import { createRng } from '../../../server/src/provision/random';
import type { Ticket } from '../../../shared/domain';

const APP = 'app://switchboard/index.html';
const hostile = fc.oneof(
  fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withBigInt: true }),
  fc.jsonValue(),
  fc.string({ unit: 'grapheme', maxLength: 5000 }),
);

describe('IPC payloads, fuzzed', () => {
  it('invoke handlers run only with payloads that match the contract; others are refused', async () => {
    const called: { channel: string; payload: unknown }[] = [];
    const handlers = Object.fromEntries(
      (Object.keys(invokeChannels) as InvokeChannel[]).map((c) => [
        c,
        (payload: unknown) => {
          called.push({ channel: c, payload });
          return undefined;
        },
      ]),
    ) as unknown as MainHandlers;
    const registered = new Map<string, (e: IpcMainInvokeEvent, p: unknown) => Promise<unknown>>();
    registerIpc({ handle: (c: string, h: never) => void registered.set(c, h) }, handlers);
    const event = { senderFrame: { url: APP, parent: null } } as unknown as IpcMainInvokeEvent;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...(Object.keys(invokeChannels) as InvokeChannel[])),
        hostile,
        async (channel, payload) => {
          called.length = 0;
          const valid = invokeChannels[channel].request.safeParse(payload).success;
          const outcome = await registered.get(channel)!(event, payload).then(
            () => 'answered',
            (err: unknown) => (err instanceof Error ? err.message : 'odd'),
          );
          if (valid) expect(called).toHaveLength(1);
          else {
            expect(called).toEqual([]);
            expect(outcome).toMatch(/invalid payload/);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('one-way messages with bad payloads are dropped and logged, never reach a handler', () => {
    const seen: string[] = [];
    const handlers = Object.fromEntries(
      (Object.keys(sendChannels) as SendChannel[]).map((c) => [c, () => void seen.push(c)]),
    ) as unknown as SendHandlers;
    const registered = new Map<string, (e: IpcMainEvent, p: unknown) => void>();
    const log = memoryLogger();
    registerSendHandlers(
      { on: (c: string, h: never) => void registered.set(c, h) } as never,
      handlers,
      log,
    );
    const event = { senderFrame: { url: APP, parent: null } } as unknown as IpcMainEvent;
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(sendChannels) as SendChannel[])),
        hostile,
        (channel, payload) => {
          seen.length = 0;
          log.lines.length = 0;
          const valid = sendChannels[channel].safeParse(payload).success;
          expect(() => registered.get(channel)!(event, payload)).not.toThrow();
          if (valid) expect(seen).toEqual([channel]);
          else {
            expect(seen).toEqual([]);
            expect(log.lines.join('\n')).toMatch(/invalid payload/);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('deep links, fuzzed', () => {
  const linkish = fc.oneof(
    hostile,
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(
        fc.constantFrom('switchboard://', 'SWITCHBOARD://', 'switchboard:', 'switchboard:///'),
        fc.constantFrom('ticket/', 'new/', 'Ticket/', 'x/', ''),
        fc.oneof(
          fc.stringMatching(/^(INC|REQ|PRB|CHG|WO)-[0-9A-Z]{12}$/),
          fc.constantFrom('incident', 'Request', 'change', 'problem', '../etc', '%2e%2e'),
          fc.string(),
        ),
        fc.constantFrom('', '/', '?x=1', '#f', ' ', '\n', '//'),
      )
      .map((parts) => parts.join('')),
  );

  it('never throws; accepted links have one canonical spelling that parses to the same link', () => {
    fc.assert(
      fc.property(linkish, (input) => {
        const r = parseDeepLink(input);
        if (!r.ok) {
          expect(r.error.length).toBeGreaterThan(0);
          return;
        }
        const canonical = formatDeepLink(r.link);
        expect(isCanonicalDeepLink(canonical)).toBe(true);
        expect(parseDeepLink(canonical)).toEqual(r);
        expect(canonical).toMatch(/^switchboard:\/\/(ticket|new)\/[A-Za-z0-9-]+$/);
      }),
      { numRuns: 3000 },
    );
  });

  it('window routes from the URL hash never throw and round-trip', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom('#/ticket/', '#/wallboard', '#/')), (h) => {
        const route = parseWindowRoute(h);
        expect(parseWindowRoute(windowRouteHash(route))).toEqual(route);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('settings file, fuzzed', () => {
  const fileText = fc.oneof(
    fc.string({ maxLength: 2000 }),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .dictionary(
        fc.constantFrom(...Object.keys(defaultSettings()), '__proto__', 'extra'),
        fc.jsonValue(),
      )
      .map((o) => JSON.stringify({ ...defaultSettings(), ...o })),
  );

  it('any file gives valid settings; a bad one is kept aside, never overwritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-fuzz-settings-'));
    const path = settingsPath(dir);
    fc.assert(
      fc.property(fileText, (text) => {
        writeFileSync(path, text);
        const log = memoryLogger();
        const s = loadSettings(path, log);
        expect(settingsSchema.safeParse(s).success).toBe(true);
        const valid = (() => {
          try {
            return settingsSchema.safeParse(JSON.parse(text)).success;
          } catch {
            return false;
          }
        })();
        if (!valid) {
          expect(s).toEqual(defaultSettings());
          expect(log.lines.join('\n')).toMatch(/kept as/);
          expect(readFileSync(setAsidePath(path), 'utf8')).toBe(text);
          expect(existsSync(path)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('stored preferences and saved views, fuzzed', () => {
  const defaults: UiPrefs = {
    themeMode: 'system',
    savedViews: {},
    viewId: 'recent',
    wall: DEFAULT_WALL_SETTINGS,
  };
  const view = fc.record(
    {
      id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,60}$/), fc.string()),
      name: fc.string({ maxLength: 100 }),
      sort: fc.oneof(
        fc.record({
          field: fc.constantFrom('updatedAt', 'priority', 'number', 'title', 'bogus'),
          dir: fc.constantFrom('asc', 'desc', 'up'),
        }),
        fc.jsonValue(),
      ),
      filter: fc.oneof(
        fc.record(
          {
            kinds: fc.oneof(fc.array(fc.constantFrom('incident', 'change', 'x')), fc.jsonValue()),
            states: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
            priorities: fc.oneof(fc.array(fc.integer({ min: -1, max: 6 })), fc.jsonValue()),
            groups: fc.oneof(fc.constant('mine'), fc.array(fc.string()), fc.jsonValue()),
            assignees: fc.oneof(fc.array(fc.constantFrom('me', 'unassigned', 'x')), fc.jsonValue()),
            categories: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
            sla: fc.oneof(fc.constantFrom('breached', 'at-risk', 'ok', 'nope'), fc.jsonValue()),
            text: fc.oneof(fc.string(), fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  );
  // Good values, each field valid, so that the "restored unchanged" branch runs often (the mixed
  // generator alone made a fully valid record 3 times in 1,500).
  const goodView = fc.record({
    id: fc.stringMatching(/^[a-z0-9-]{1,60}$/),
    name: fc.string({ minLength: 1, maxLength: 80 }).filter((n) => n.trim() !== ''),
    sort: fc.record({
      field: fc.constantFrom(...SORT_FIELDS),
      dir: fc.constantFrom('asc', 'desc'),
    }),
    filter: fc.record(
      {
        kinds: fc.array(fc.constantFrom('incident', 'change')),
        open: fc.boolean(),
        states: fc.array(fc.constantFrom('new', 'in-progress', 'resolved')),
        priorities: fc.array(fc.integer({ min: 1, max: 4 })),
        groups: fc.oneof(fc.constant('mine' as const), fc.array(fc.string())),
        assignees: fc.array(fc.constantFrom('me', 'unassigned', 'alice')),
        sla: fc.constantFrom('breaching-soon' as const, 'breached' as const),
        text: fc.string({ maxLength: 200 }),
      },
      { requiredKeys: [] },
    ),
  });
  const goodWall = fc.record({
    rotateSeconds: fc.integer({ min: 0, max: 3600 }),
    notifyOnRed: fc.boolean(),
    complianceAmber: fc.double({ min: 0, max: 1, noNaN: true }),
    complianceRed: fc.double({ min: 0, max: 1, noNaN: true }),
    breachedAmber: fc.integer({ min: 0, max: 1_000_000 }),
    breachedRed: fc.integer({ min: 0, max: 1_000_000 }),
  });
  const good = fc.record({
    themeMode: fc.constantFrom('light' as const, 'dark' as const, 'system' as const),
    viewId: fc.stringMatching(/^[a-z0-9-]{1,60}$/),
    savedViews: fc.dictionary(fc.string({ maxLength: 20 }), fc.array(goodView, { maxLength: 4 }), {
      maxKeys: 4,
    }),
    wall: goodWall,
  });
  const stored = fc.oneof(
    fc.jsonValue(),
    good,
    fc.record(
      {
        themeMode: fc.oneof(fc.constantFrom('light', 'dark', 'system', 'neon'), fc.jsonValue()),
        viewId: fc.oneof(fc.constantFrom('recent', 'mine'), fc.string()),
        savedViews: fc.oneof(fc.dictionary(fc.string(), fc.array(view)), fc.jsonValue()),
        wall: fc.oneof(
          fc.record(
            {
              rotateSeconds: fc.oneof(fc.integer(), fc.double()),
              notifyOnRed: fc.jsonValue(),
              complianceAmber: fc.double(),
              complianceRed: fc.double(),
              breachedAmber: fc.integer(),
              breachedRed: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    ),
  );
  const rng = createRng(7);
  const dir = demoDirectory(rng);
  const tickets = demoTickets(rng, {
    count: 60,
    days: 30,
    now: Date.parse('2026-11-25T09:00:00Z'),
    agents: dir.agents,
    technicians: dir.technicians,
    callers: dir.callers,
    cis: dir.cis,
    kb: dir.kb,
  }) as unknown as Ticket[];

  /** What restoring must give for one stored value, field by field (an oracle of its own). */
  const obj = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const inRange = (v: unknown, min: number, max: number, integer = false) =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    v >= min &&
    v <= max &&
    (!integer || Number.isInteger(v));
  // (Generated dictionaries may have a null prototype; the comparison is of content.)
  const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));
  function expected(saved: unknown) {
    const o = obj(saved);
    const w = obj(o.wall);
    const d = DEFAULT_WALL_SETTINGS;
    const pick = <T>(ok: boolean, v: unknown, fallback: T): T => (ok ? (v as T) : fallback);
    const views: Record<string, unknown[]> = {};
    for (const [user, list] of Object.entries(obj(o.savedViews)).slice(0, 50))
      if (Array.isArray(list) && user.length <= 200)
        // (A user may be called "__proto__": an own property, as the code under test makes it.)
        Object.defineProperty(views, user, {
          value: list.filter((v) => validateView(v).ok).slice(0, MAX_SAVED_VIEWS),
          enumerable: true,
        });
    return {
      themeMode: pick(
        ['system', 'light', 'dark'].includes(o.themeMode as string),
        o.themeMode,
        'system',
      ),
      viewId: pick(
        typeof o.viewId === 'string' && /^[a-z0-9-]{1,60}$/.test(o.viewId),
        o.viewId,
        'recent',
      ),
      wall: {
        rotateSeconds: pick(
          inRange(w.rotateSeconds, 0, 3600, true),
          w.rotateSeconds,
          d.rotateSeconds,
        ),
        notifyOnRed: pick(typeof w.notifyOnRed === 'boolean', w.notifyOnRed, d.notifyOnRed),
        complianceAmber: pick(
          inRange(w.complianceAmber, 0, 1),
          w.complianceAmber,
          d.complianceAmber,
        ),
        complianceRed: pick(inRange(w.complianceRed, 0, 1), w.complianceRed, d.complianceRed),
        breachedAmber: pick(
          inRange(w.breachedAmber, 0, 1e6, true),
          w.breachedAmber,
          d.breachedAmber,
        ),
        breachedRed: pick(inRange(w.breachedRed, 0, 1e6, true), w.breachedRed, d.breachedRed),
      },
      savedViews: views,
    };
  }

  it('restores every good field, defaults the bad ones, and every restored view runs', () => {
    let allGood = 0;
    let someViews = 0;
    const runs = 1500;
    fc.assert(
      fc.property(stored, (saved) => {
        const p = restoreUiPrefs(saved, defaults);
        const want = expected(saved);
        // Field by field: a good one comes back unchanged, a bad one is the default.
        expect(p.themeMode).toBe(want.themeMode);
        expect(p.viewId).toBe(want.viewId);
        expect(p.wall).toEqual(want.wall);
        expect(checkWallSettings(p.wall)).toEqual(p.wall);
        expect({ ...p.savedViews }).toEqual(want.savedViews);
        if (isDeepStrictEqual(plain(p), plain(saved))) allGood += 1;
        if (Object.values(p.savedViews).some((v) => v.length > 0)) someViews += 1;
        for (const views of Object.values(p.savedViews)) {
          expect(views.length).toBeLessThanOrEqual(MAX_SAVED_VIEWS);
          for (const v of views) {
            const match = compileFilter(v.filter, {
              me: 'alice',
              groupIds: ['group:service-desk'],
              now: Date.parse('2026-11-25T09:00:00Z'),
              sla: null,
            });
            const shown = tickets.filter(match).sort(compareTickets(v.sort));
            expect(shown.length).toBeLessThanOrEqual(tickets.length);
          }
        }
      }),
      { numRuns: runs },
    );
    // The valid branch ran often: whole records restored unchanged, and views kept.
    expect(allGood).toBeGreaterThan(runs / 10);
    expect(someViews).toBeGreaterThan(runs / 10);
  });
});
