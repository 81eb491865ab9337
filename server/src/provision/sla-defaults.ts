/**
 * The SLA policies and calendars a new desk starts with, in the style of published service desk
 * SLAs. `npm run setup` stores them in the directory database as version 1 of the desk's SLA
 * configuration (shared/domain/sla-config.ts) when it has none; from then on the desk's own
 * configuration is the only one any device reads.
 */
import type { BusinessCalendar } from '../../../shared/domain/calendar';
import type { TicketKind } from '../../../shared/domain/kinds';
import type { Priority } from '../../../shared/domain/priority';
import type { SlaConfig, SlaPolicy } from '../../../shared/domain/sla';
import {
  SLA_CONFIG_ID,
  SLA_CONFIG_SCHEMA_VERSION,
  type SlaConfigDoc,
} from '../../../shared/domain/sla-config';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** One business day of the default business-hours calendar (08:00–18:00). */
const BUSINESS_DAY = 10 * HOUR;

const OFFICE_HOURS = [{ start: '08:00', end: '18:00' }] as const;

/**
 * The calendars every desk starts with: round the clock, and office hours in London with the
 * public holidays of England and Wales, generated for every year.
 */
export const DEFAULT_CALENDARS: readonly BusinessCalendar[] = [
  { kind: '24x7', id: '24x7', name: '24x7' },
  {
    kind: 'weekly',
    id: 'business-hours',
    name: 'Business hours (Mon–Fri 08:00–18:00, London)',
    zone: 'Europe/London',
    week: {
      mon: OFFICE_HOURS,
      tue: OFFICE_HOURS,
      wed: OFFICE_HOURS,
      thu: OFFICE_HOURS,
      fri: OFFICE_HOURS,
    },
    holidays: [],
    publicHolidays: { country: 'GB', region: 'ENG' },
  },
];

type Row = readonly [response: number, resolution: number, calendarId: '24x7' | 'business-hours'];

// Response = first move out of "new"; resolution = resolved / fulfilled / completed.
const TARGETS = {
  incident: {
    1: [15 * MINUTE, 4 * HOUR, '24x7'],
    2: [30 * MINUTE, 8 * HOUR, '24x7'],
    3: [4 * HOUR, 3 * BUSINESS_DAY, 'business-hours'],
    4: [BUSINESS_DAY, 5 * BUSINESS_DAY, 'business-hours'],
    5: [2 * BUSINESS_DAY, 10 * BUSINESS_DAY, 'business-hours'],
  },
  request: {
    1: [1 * HOUR, BUSINESS_DAY, 'business-hours'],
    2: [2 * HOUR, 2 * BUSINESS_DAY, 'business-hours'],
    3: [4 * HOUR, 5 * BUSINESS_DAY, 'business-hours'],
    4: [BUSINESS_DAY, 10 * BUSINESS_DAY, 'business-hours'],
    5: [2 * BUSINESS_DAY, 20 * BUSINESS_DAY, 'business-hours'],
  },
  problem: {
    1: [1 * HOUR, 5 * BUSINESS_DAY, 'business-hours'],
    2: [4 * HOUR, 10 * BUSINESS_DAY, 'business-hours'],
    3: [BUSINESS_DAY, 20 * BUSINESS_DAY, 'business-hours'],
    4: [2 * BUSINESS_DAY, 40 * BUSINESS_DAY, 'business-hours'],
    5: [5 * BUSINESS_DAY, 60 * BUSINESS_DAY, 'business-hours'],
  },
  change: {
    1: [30 * MINUTE, 8 * HOUR, '24x7'],
    2: [4 * HOUR, 5 * BUSINESS_DAY, 'business-hours'],
    3: [BUSINESS_DAY, 10 * BUSINESS_DAY, 'business-hours'],
    4: [2 * BUSINESS_DAY, 20 * BUSINESS_DAY, 'business-hours'],
    5: [5 * BUSINESS_DAY, 40 * BUSINESS_DAY, 'business-hours'],
  },
  workorder: {
    1: [1 * HOUR, 8 * HOUR, '24x7'],
    2: [4 * HOUR, 2 * BUSINESS_DAY, 'business-hours'],
    3: [BUSINESS_DAY, 3 * BUSINESS_DAY, 'business-hours'],
    4: [2 * BUSINESS_DAY, 5 * BUSINESS_DAY, 'business-hours'],
    5: [5 * BUSINESS_DAY, 10 * BUSINESS_DAY, 'business-hours'],
  },
} as const satisfies Record<TicketKind, Record<Priority, Row>>;

/** One policy per kind and priority, from the table above. */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicy[] = (
  Object.keys(TARGETS) as TicketKind[]
).flatMap((kind) =>
  ([1, 2, 3, 4, 5] as const).map((priority) => {
    const [responseMs, resolutionMs, calendarId] = TARGETS[kind][priority];
    return { id: `sla:${kind}:p${priority}`, kind, priority, responseMs, resolutionMs, calendarId };
  }),
);

/** The default calendars and policies together. */
export const DEFAULT_SLA_CONFIG: SlaConfig = {
  calendars: DEFAULT_CALENDARS,
  policies: DEFAULT_SLA_POLICIES,
  version: 1,
};

/** Version 1 of a new desk's SLA configuration document, as setup stores it. */
export function defaultSlaConfigDoc(now: string): SlaConfigDoc {
  return {
    id: SLA_CONFIG_ID,
    type: SLA_CONFIG_ID,
    name: 'SLA configuration',
    schemaVersion: SLA_CONFIG_SCHEMA_VERSION,
    version: 1,
    updatedAt: now,
    updatedBy: 'setup',
    calendars: DEFAULT_CALENDARS,
    policies: DEFAULT_SLA_POLICIES,
  };
}
