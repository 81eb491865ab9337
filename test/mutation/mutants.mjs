// Hand-written mutants of the domain's core rules, for `npm run test:mutation` (run.mjs).
// Each replaces one exact snippet (it must occur exactly once in its file) by a plausible bug.
// Equivalent mutants (no observable change) are left out: each one here changes behaviour.
// When the code a mutant was written for changes, the mutant is re-targeted at the code that now
// makes the same decision (the run reports it "stale" until then).

const M = (file, name, find, replace) => ({ file, name, find, replace });
const merge = 'shared/domain/merge.ts';
const sla = 'shared/domain/sla.ts';
const slaConfig = 'shared/domain/sla-config.ts';
const slaRecords = 'shared/domain/sla-records.ts';
const sm = 'shared/domain/state-machine.ts';
const tr = 'shared/domain/transition.ts';
const q = 'shared/queue/filter.ts';

export const MUTANTS = [
  // Merge: three-way, field by field.
  M(
    merge,
    'local-only edit dropped',
    'if (base !== null && same(b, l)) return r;',
    'if (base !== null && same(b, l)) return l;',
  ),
  M(
    merge,
    'remote-only edit dropped',
    'if (base !== null && same(b, r)) return l;',
    'if (base !== null && same(b, r)) return r;',
  ),
  M(
    merge,
    'earlier edit wins a conflict',
    "return local.updatedAt > remote.updatedAt ? 'local' : 'remote';",
    "return local.updatedAt < remote.updatedAt ? 'local' : 'remote';",
  ),
  M(
    merge,
    'tie-break not symmetric',
    "return stableJson(lv) >= stableJson(rv) ? 'local' : 'remote';",
    "return 'remote';",
  ),
  M(
    merge,
    'state veto ignored',
    'if (veto(side) && !veto(other)) side = other;',
    'if (veto(side) && !veto(other) && false) side = other;',
  ),
  M(
    merge,
    'lost value is the kept one',
    "lostValue: side === 'local' ? r : l,",
    "lostValue: side === 'local' ? l : r,",
  ),
  M(
    merge,
    'remote links dropped',
    'for (const item of [...a, ...b])',
    'for (const item of [...a])',
  ),
  M(
    merge,
    'closed pause reopened',
    '(q) => q.from === p.from && q.to !== null,',
    '(q) => q.from === p.from && q.to === null,',
  ),
  M(
    merge,
    'latest response time kept',
    'a === null ? b : b === null ? a : a < b ? a : b;',
    'a === null ? b : b === null ? a : a < b ? b : a;',
  ),
  M(
    merge,
    'resolvedAt always remote',
    'resolvedAt: winnerState.sla.resolvedAt,',
    'resolvedAt: remote.sla.resolvedAt,',
  ),
  M(
    merge,
    'older updatedAt stamped',
    'local.updatedAt > remote.updatedAt ||',
    'local.updatedAt < remote.updatedAt ||',
  ),
  M(
    merge,
    'updatedBy tie-break flipped',
    '(local.updatedAt === remote.updatedAt && local.updatedBy > remote.updatedBy)',
    '(local.updatedAt === remote.updatedAt && local.updatedBy < remote.updatedBy)',
  ),
  M(
    merge,
    'priority not recomputed',
    'priority: priorityOf(merged.impact, merged.urgency)',
    'priority: merged.priority',
  ),
  M(
    merge,
    'nested keys merged without base',
    'const v = pick(`${f}.${k}`, isPlainObject(b) ? b[k] : undefined, l[k], r[k]);',
    'const v = pick(`${f}.${k}`, undefined, l[k], r[k]);',
  ),
  M(merge, 'assignee not merged', "  'assigneeId',\n  'parentNumber',", "  'parentNumber',"),
  // Re-targeted: the merge asks pathBetween (several moves made offline), no longer canMove.
  M(
    merge,
    'state reachability inverted',
    'pathBetween(to.kind, from.state, to.state, to.resolution !== null) === null',
    'pathBetween(to.kind, from.state, to.state, to.resolution !== null) !== null',
  ),
  M(
    merge,
    'stableJson unsorted keys',
    '      .filter((k) => o[k] !== undefined)\n      .sort()',
    '      .filter((k) => o[k] !== undefined)',
  ),

  // SLA: business time, pauses, thresholds.
  M(
    sla,
    'overlapping pause shortened',
    'if (last && a <= last[1]) last[1] = Math.max(last[1], b);',
    'if (last && a <= last[1]) last[1] = b;',
  ),
  M(
    sla,
    'pause before creation counted',
    'return [Math.max(from, start), Math.min(to, stop)];',
    'return [from, Math.min(to, stop)];',
  ),
  M(
    sla,
    'pause after stop counted',
    'return [Math.max(from, start), Math.min(to, stop)];',
    'return [Math.max(from, start), to];',
  ),
  M(
    sla,
    'paused time counted',
    '    total += businessMsBetween(cal, t, a);\n    t = b;',
    '    total += businessMsBetween(cal, t, a);\n    t = a;',
  ),
  M(
    sla,
    'due date off at a pause start',
    'if (left <= free) return addBusinessMs(cal, t, left);',
    'if (left < free) return addBusinessMs(cal, t, left);',
  ),
  M(
    sla,
    'due date after an open pause',
    'return t === Infinity ? null : addBusinessMs(cal, t, left);',
    'return addBusinessMs(cal, t === Infinity ? start : t, left);',
  ),
  M(
    sla,
    'stopped at target counts as met',
    "elapsed >= c.targetMs ? 'missed' : 'met';",
    "elapsed > c.targetMs ? 'missed' : 'met';",
  ),
  M(
    sla,
    'breach one ms late',
    "if (elapsed >= c.targetMs) return 'breached';",
    "if (elapsed > c.targetMs) return 'breached';",
  ),
  M(
    sla,
    'breached but paused shows paused',
    "  if (elapsed >= c.targetMs) return 'breached';\n  if (paused) return 'paused';",
    "  if (paused) return 'paused';\n  if (elapsed >= c.targetMs) return 'breached';",
  ),
  M(
    sla,
    'warning at 80% not 75%',
    'export const DEFAULT_SLA_WARNINGS: SlaThresholds = { warning: 50, atRisk: 75 };',
    'export const DEFAULT_SLA_WARNINGS: SlaThresholds = { warning: 50, atRisk: 80 };',
  ),
  M(
    sla,
    'warning-50 boundary',
    "if (elapsed * 100 >= c.targetMs * c.warnings.warning) return 'warning-50';",
    "if (elapsed * 100 > c.targetMs * c.warnings.warning) return 'warning-50';",
  ),
  M(
    sla,
    'future stop already stopped',
    'const stopped = c.stop !== null && c.stop <= now;',
    'const stopped = c.stop !== null;',
  ),
  M(
    sla,
    'pause end inclusive',
    'c.spans.some(([a, b]) => a <= now && now < b)',
    'c.spans.some(([a, b]) => a <= now && now <= b)',
  ),
  M(
    sla,
    'remaining sign flipped',
    'remainingMs: c.targetMs - elapsedMs,',
    'remainingMs: elapsedMs - c.targetMs,',
  ),
  M(
    sla,
    'cancel counts as response',
    "cancelled: cancelled && (name === 'resolution' || respondedAt === resolvedAt),",
    'cancelled: cancelled,',
  ),
  M(
    sla,
    'crossing at the stop dropped',
    'if (at === null || (clock.stop !== null && at > clock.stop)) continue;',
    'if (at === null || (clock.stop !== null && at >= clock.stop)) continue;',
  ),
  M(
    sla,
    'crossings window start inclusive',
    '.filter((x) => x.at > from && x.at <= to)',
    '.filter((x) => x.at >= from && x.at <= to)',
  ),
  M(
    sla,
    'next crossing includes now',
    'return crossings(ticket, config).find((x) => x.at > after)?.c ?? null;',
    'return crossings(ticket, config).find((x) => x.at >= after)?.c ?? null;',
  ),
  M(
    sla,
    'policy ignores priority',
    'if (policy.kind !== ticket.kind || policy.priority !== ticket.priority) return false;',
    'if (policy.kind !== ticket.kind) return false;',
  ),

  // SLA policies: pause rules and caps, response definitions, records, thresholds, conditions.
  M(
    sla,
    'every pause reason pauses',
    'return (policy.pauseReasons[clock] as readonly string[]).includes(reason);',
    'return true;',
  ),
  M(
    sla,
    'pause cap ignored',
    "const to = p.reason === 'resolved' ? end : Math.min(end, from + cap);",
    'const to = end;',
  ),
  M(
    sla,
    'time resolved capped',
    "const to = p.reason === 'resolved' ? end : Math.min(end, from + cap);",
    'const to = Math.min(end, from + cap);',
  ),
  M(
    sla,
    'first public reply ignored',
    'return ticket.sla.firstReplyAt ?? null;',
    'return ticket.sla.respondedAt;',
  ),
  M(
    sla,
    'first assignment ignored',
    'return ticket.sla.firstAssignedAt ?? null;',
    'return ticket.sla.respondedAt;',
  ),
  M(
    sla,
    "record's policy replaced by today's",
    'const policy = record ? record.policy : findSlaPolicy(config, ticket);',
    'const policy = findSlaPolicy(config, ticket);',
  ),
  M(
    sla,
    "record's start ignored",
    "? instant(record.startedAt, 'SLA record start')",
    "? instant(ticket.createdAt, 'createdAt')",
  ),
  M(
    sla,
    "stopped record's calendar ignored",
    'const cal = record?.calendar ?? config.calendars.find(',
    'const cal = config.calendars.find(',
  ),
  M(
    sla,
    "policy's thresholds ignored",
    'warnings: policy.thresholds ?? DEFAULT_SLA_WARNINGS,',
    'warnings: DEFAULT_SLA_WARNINGS,',
  ),
  M(sla, 'group condition ignored', 'within(c.groupIds, ticket.groupId) &&', 'true &&'),
  M(
    sla,
    'empty condition list matches nothing',
    'list === undefined || list.length === 0 || (value != null && list.includes(value));',
    'list === undefined || (value != null && list.includes(value));',
  ),
  M(
    slaConfig,
    'non-admins change the SLA configuration',
    "if (!user.roles.includes('admin') && !user.roles.includes('_admin'))",
    "if (!user.roles.includes('admin') && !user.roles.includes('_admin') && false)",
  ),
  M(
    slaConfig,
    'a version may be skipped',
    'if (v.value.version !== before + 1)',
    'if (v.value.version <= before)',
  ),
  M(
    slaConfig,
    'warning equal to at-risk accepted',
    '(t.warning as number) >= (t.atRisk as number)',
    '(t.warning as number) > (t.atRisk as number)',
  ),
  M(
    slaConfig,
    'policy on an unknown calendar accepted',
    "if (typeof v.calendarId !== 'string' || !calendarIds.has(v.calendarId))",
    "if (typeof v.calendarId !== 'string')",
  ),
  M(
    slaConfig,
    'duplicate policy ids accepted',
    'if (ids.has(id)) p.push(`policy ${id} appears twice`);',
    '',
  ),
  M(
    slaRecords,
    'restart from creation by default',
    "(matched.restartFrom ?? 'change') === 'change'",
    "(matched.restartFrom ?? 'creation') === 'change'",
  ),
  M(
    slaRecords,
    'replacement record reuses the id',
    'id: `${after.number}#${running ? recordNumber(running.id) + 1 : 1}`,',
    'id: `${after.number}#1`,',
  ),
  M(
    slaRecords,
    'stopped at the target recorded as met',
    'const met = r.elapsedMs < r.targetMs;',
    'const met = r.elapsedMs <= r.targetMs;',
  ),
  M(
    slaRecords,
    'thresholds share one key',
    "      String(data.clock),\n      typeof data.threshold === 'number' ? String(data.threshold) : '',",
    '      String(data.clock),',
  ),
  M(
    slaRecords,
    'duplicate keeps the later entry',
    'if (!prev || e.at < prev.at || (e.at === prev.at && e.id < prev.id)) keep.set(k, e);',
    'if (!prev || e.at > prev.at || (e.at === prev.at && e.id > prev.id)) keep.set(k, e);',
  ),
  M(slaRecords, 'pauses deduplicated', "if (ev === 'pause' || ev === 'resume') {", 'if (false) {'),

  // State machine and transitions.
  // Re-targeted: canMove had no caller left (the server's rule, the merge and the refusal
  // reasons ask pathBetween since several offline moves arrive as one write) and was removed; a
  // write that keeps the state passes because pathBetween gives the empty run for it.
  M(sm, 'staying put refused', 'if (from === to) return [];', 'if (from === to) return null;'),
  M(
    sm,
    'rules from any state',
    'return STATE_MACHINES[kind].transitions.filter((r) => r.from.includes(state));',
    'return STATE_MACHINES[kind].transitions.filter((r) => r.from.length > 0);',
  ),
  M(
    sm,
    'closed incident restartable',
    "t(['new', 'on-hold'], 'in-progress', 'Start work'),",
    "t(['new', 'on-hold', 'closed'], 'in-progress', 'Start work'),",
  ),
  M(
    sm,
    'on hold without a reason',
    "t(['new', 'in-progress'], 'on-hold', 'Put on hold', ['onHoldReason']),",
    "t(['new', 'in-progress'], 'on-hold', 'Put on hold'),",
  ),
  M(
    sm,
    'no paused states',
    'return (STATE_MACHINES[kind].paused as readonly string[]).includes(state);',
    'return false;',
  ),
  M(
    sm,
    'done means final',
    'return (STATE_MACHINES[kind].done as readonly string[]).includes(state);',
    'return (STATE_MACHINES[kind].final as readonly string[]).includes(state);',
  ),
  M(
    tr,
    'any on-hold reason accepted',
    'return !input.onHoldReason || !ON_HOLD_REASONS.includes(input.onHoldReason);',
    'return !input.onHoldReason;',
  ),
  M(
    tr,
    'resolution without notes',
    'return !input.resolution || !input.resolution.code.trim() || !input.resolution.notes.trim();',
    'return !input.resolution || !input.resolution.code.trim();',
  ),
  M(
    tr,
    'pause never closed',
    'pauses = pauses.map((p) => (p.to === null ? { ...p, to: ctx.now } : p));',
    'pauses = pauses.map((p) => p);',
  ),
  M(
    tr,
    'pause never opened',
    'if (!wasPaused && nowPaused)\n    pauses = [',
    'if (!wasPaused && nowPaused && false)\n    pauses = [',
  ),
  M(
    tr,
    'time resolved counted on reopen',
    'if (reopened && resolvedAt !== null && Date.parse(resolvedAt) < Date.parse(ctx.now))',
    'if (false && reopened && resolvedAt !== null)',
  ),
  M(
    tr,
    'response time overwritten',
    'ticket.sla.respondedAt ?? (to !== STATE_MACHINES[ticket.kind].initial ? ctx.now : null),',
    '(to !== STATE_MACHINES[ticket.kind].initial ? ctx.now : null),',
  ),
  M(
    tr,
    'resolvedAt moved on close',
    'done ? (ticket.sla.resolvedAt ?? ctx.now) : ticket.sla.resolvedAt,',
    'done ? ctx.now : ticket.sla.resolvedAt,',
  ),
  M(
    tr,
    'reopen keeps resolvedAt',
    'resolvedAt: reopened ? null :',
    'resolvedAt: reopened ? ticket.sla.resolvedAt :',
  ),
  M(
    tr,
    'on-hold reason kept after leaving hold',
    "onHoldReason: nowPaused && to === 'on-hold' ? (input.onHoldReason ?? null) : null,",
    'onHoldReason: input.onHoldReason ?? ticket.onHoldReason,',
  ),
  M(
    tr,
    'reopen keeps the resolution',
    '      : reopened\n        ? null\n        : ticket.resolution,',
    '      : ticket.resolution,',
  ),

  // Queue filters and order.
  M(q, 'kind filter ignored', 'if (kinds && !kinds.has(t.kind)) return false;', ''),
  M(
    q,
    'open filter inverted',
    'isDoneState(t.kind, t.state) === f.open',
    'isDoneState(t.kind, t.state) !== f.open',
  ),
  M(q, 'state filter ignored', 'if (states && !states.has(t.state)) return false;', ''),
  M(
    q,
    'priority filter ignored',
    'if (priorities && !priorities.has(t.priority)) return false;',
    '',
  ),
  M(
    q,
    "'mine' groups empty",
    "f.groups === 'mine' ? ctx.groupIds : f.groups",
    "f.groups === 'mine' ? [] : f.groups",
  ),
  M(
    q,
    "'me' not the viewer",
    "f.assignees.map((a) => (a === 'me' ? ctx.me : a))",
    'f.assignees.map((a) => a)',
  ),
  M(
    q,
    'unassigned always matches',
    't.assigneeId === null ? unassigned : assignees.has(t.assigneeId)',
    't.assigneeId === null ? true : assignees.has(t.assigneeId)',
  ),
  M(
    q,
    'category filter ignored',
    'if (categories && !categories.has(t.category)) return false;',
    '',
  ),
  M(
    q,
    'any word matches',
    'if (!words.every((w) => hay.includes(w))) return false;',
    'if (!words.some((w) => hay.includes(w))) return false;',
  ),
  M(
    q,
    'breached and breaching swapped',
    "accel.reaches(t, f.sla === 'breached' ? 100 : 75)",
    "accel.reaches(t, f.sla === 'breached' ? 75 : 100)",
  ),
  M(
    q,
    'threshold reached exactly now excluded',
    'if (at === null || at > ctx.now) return false;',
    'if (at === null || at >= ctx.now) return false;',
  ),
  M(q, 'stopped clock still breaching', '    if (stopped !== null) continue;\n', ''),
  M(
    q,
    'paused clock still breaching soon',
    "if (f.sla === 'breaching-soon' && !runningAtRisk(t, ctx)) return false;",
    '',
  ),
  M(
    q,
    'latest crossing taken',
    'if (best === null || at < best) best = at;',
    'if (best === null || at > best) best = at;',
  ),
  M(
    q,
    'sort direction ignored',
    '    if (x < y) return -sign;\n    if (x > y) return sign;',
    '    if (x < y) return -1;\n    if (x > y) return 1;',
  ),
  M(
    q,
    'tie order reversed',
    'return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;',
    'return a.number < b.number ? 1 : a.number > b.number ? -1 : 0;',
  ),
  M(
    q,
    'search case-sensitive',
    "  return (text ?? '')\n    .toLowerCase()",
    "  return (text ?? '')",
  ),
  M(q, 'group filter ignored', 'if (groups && !groups.has(t.groupId)) return false;', ''),
  M(
    q,
    'breaching soon at the first warning',
    "if (c.level !== (threshold === 75 ? 'at-risk' : 'breach')) continue;",
    "if (c.level !== (threshold === 75 ? 'warning' : 'breach')) continue;",
  ),
  M(
    q,
    'imported number not searched',
    "const ref = typeof t.imported?.number === 'string' ? ` ${t.imported.number}` : '';",
    "const ref = '';",
  ),
  M(
    q,
    'saved view with an unknown sort accepted',
    '!(SORT_FIELDS as readonly unknown[]).includes(s.field) ||',
    "typeof s.field !== 'string' ||",
  ),
  // Re-targeted: the haystack now also holds an imported ticket's source number.
  M(
    q,
    'description not searched',
    'return `${t.number}${ref} ${t.title} ${t.description}`.toLowerCase();',
    'return `${t.number}${ref} ${t.title}`.toLowerCase();',
  ),
];
