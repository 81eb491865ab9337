/**
 * The demo desk's reference data: groups, staff, callers, configuration items, knowledge
 * articles, service catalog. Sized like a mid-sized company's desk (see shared/REAL-DESK.md).
 */
import type { Rng } from './random';
import type { StaffUser } from './provision';
import { DEMO_USER_PASSWORD } from '../config';

type Doc = Record<string, unknown> & { id: string; type: string };

/** Assignment groups: [id, name, categories they handle]. */
export const DEMO_GROUPS = [
  ['group:service-desk', 'Service Desk', ['access', 'software', 'hardware', 'general']],
  ['group:network', 'Network', ['network']],
  ['group:desktop', 'Desktop Support', ['hardware', 'software']],
  ['group:server-ops', 'Server Operations', ['server', 'storage']],
  ['group:database', 'Database', ['database']],
  ['group:identity', 'Identity & Access', ['access']],
  ['group:erp', 'ERP Applications', ['erp']],
  ['group:collab', 'Email & Collaboration', ['email']],
  ['group:field', 'Field Services', ['hardware', 'network']],
  ['group:security', 'Security Operations', ['security']],
  ['group:telephony', 'Telephony', ['telephony']],
  ['group:cab', 'Change Advisory Board', ['change']],
] as const;

/** The seeded staff accounts documented in the README. */
export const DEMO_STAFF: readonly (StaffUser & { groups: readonly string[] })[] = [
  {
    name: 'alice',
    fullName: 'Alice Moreau',
    roles: ['agent'],
    password: DEMO_USER_PASSWORD,
    groups: ['group:service-desk', 'group:desktop'],
  },
  {
    name: 'ben',
    fullName: 'Ben Okafor',
    roles: ['agent'],
    password: DEMO_USER_PASSWORD,
    groups: ['group:service-desk', 'group:network'],
  },
  {
    name: 'tara',
    fullName: 'Tara Lindqvist',
    roles: ['technician'],
    password: DEMO_USER_PASSWORD,
    groups: ['group:field'],
  },
  {
    name: 'sam',
    fullName: 'Sam Whitfield',
    roles: ['supervisor'],
    password: DEMO_USER_PASSWORD,
    groups: ['group:service-desk'],
  },
  {
    name: 'ada',
    fullName: 'Ada Brennan',
    roles: ['admin'],
    password: DEMO_USER_PASSWORD,
    groups: ['group:service-desk'],
  },
];

const FIRST = [
  'Noah',
  'Emma',
  'Liam',
  'Mia',
  'Lucas',
  'Zoe',
  'Omar',
  'Ines',
  'Yuki',
  'Priya',
  'Diego',
  'Hana',
  'Jonas',
  'Lea',
  'Ravi',
  'Sofia',
  'Tomas',
  'Aisha',
  'Felix',
  'Nora',
  'Kai',
  'Elif',
  'Marco',
  'Anya',
];
const LAST = [
  'Schmidt',
  'Nakamura',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Jensen',
  'Garcia',
  'Dubois',
  'Novak',
  'Patel',
  'Silva',
  'Andersen',
  'Costa',
  'Mbeki',
  'Larsen',
  'Fischer',
  'Ito',
  'Moreno',
];
export const LOCATIONS = [
  'HQ Floor 2',
  'HQ Floor 3',
  'HQ Floor 5',
  'Warehouse North',
  'Branch Lyon',
  'Branch Leeds',
  'Branch Porto',
  'Data Centre A',
  'Lab Building',
  'Remote',
];

/** Staff members generated beyond the seeded accounts (they have no login). */
export const GENERATED_AGENTS = 32;
/** Callers (requesters) in the demo directory. */
export const DEMO_CALLERS = 240;

const CI_CLASSES = [
  ['laptop', 'LT', 'hardware'],
  ['desktop', 'PC', 'hardware'],
  ['server', 'SRV', 'server'],
  ['database', 'DB', 'database'],
  ['network-switch', 'SW', 'network'],
  ['printer', 'PRN', 'hardware'],
  ['application', 'APP', 'erp'],
  ['mail-service', 'MAIL', 'email'],
] as const;

const KB_TOPICS = [
  ['Reset a forgotten password', 'access'],
  ['Connect to the VPN from home', 'network'],
  ['Map a network printer', 'hardware'],
  ['Request access to a shared mailbox', 'email'],
  ['Clear the ERP client cache', 'erp'],
  ['Replace a laptop docking station', 'hardware'],
  ['Diagnose slow Wi-Fi on a floor', 'network'],
  ['Unlock a locked-out account', 'access'],
  ['Restore a deleted file from backup', 'storage'],
  ['Report a phishing e-mail', 'security'],
  ['Set up call forwarding on a desk phone', 'telephony'],
  ['Free up disk space on a database server', 'database'],
] as const;

const CATALOG = [
  ['catalog:new-laptop', 'New laptop', 'hardware', true],
  ['catalog:software-install', 'Software installation', 'software', false],
  ['catalog:mailbox-access', 'Shared mailbox access', 'email', true],
  ['catalog:vpn-access', 'VPN access', 'network', true],
  ['catalog:new-starter', 'New starter setup', 'access', true],
  ['catalog:phone', 'Desk phone', 'telephony', false],
  ['catalog:erp-role', 'ERP role change', 'erp', true],
  ['catalog:monitor', 'Additional monitor', 'hardware', false],
] as const;

/** Everything in the directory database for the demo desk. */
export function demoDirectory(rng: Rng): {
  docs: Doc[];
  agents: string[];
  technicians: string[];
  callers: string[];
  cis: Doc[];
  kb: Doc[];
} {
  const docs: Doc[] = [];
  for (const [id, name, categories] of DEMO_GROUPS)
    docs.push({ id, type: 'group', name, categories: [...categories] });
  const agents: string[] = [];
  for (const s of DEMO_STAFF) {
    docs.push({
      id: `person:${s.name}`,
      type: 'person',
      name: s.fullName,
      username: s.name,
      staff: true,
      roles: [...s.roles],
      groupIds: [...s.groups],
      email: `${s.name}@example.com`,
    });
    if (s.roles.includes('agent')) agents.push(s.name);
  }
  for (let i = 0; i < GENERATED_AGENTS; i++) {
    const username = `agent${String(i + 1).padStart(2, '0')}`;
    const group = DEMO_GROUPS[i % DEMO_GROUPS.length];
    if (!group) continue;
    const technician = i % 8 === 7;
    docs.push({
      id: `person:${username}`,
      type: 'person',
      name: `${rng.pick(FIRST)} ${rng.pick(LAST)}`,
      username,
      staff: true,
      roles: [technician ? 'technician' : 'agent'],
      groupIds: [technician ? 'group:field' : group[0]],
      email: `${username}@example.com`,
    });
    // Service desk tickets go to agents; technicians get work orders.
    if (!technician) agents.push(username);
  }
  const callers: string[] = [];
  for (let i = 0; i < DEMO_CALLERS; i++) {
    const id = `person:caller-${String(i + 1).padStart(4, '0')}`;
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    docs.push({
      id,
      type: 'person',
      name: `${first} ${last}`,
      staff: false,
      email: `${first}.${last}${i}@example.com`.toLowerCase(),
      location: rng.pick(LOCATIONS),
      phone: `+44 20 7946 ${String(1000 + i).slice(-4)}`,
    });
    callers.push(id);
  }
  const cis: Doc[] = [];
  for (const [ciClass, code, category] of CI_CLASSES) {
    const n = ciClass === 'laptop' || ciClass === 'desktop' ? 25 : 8;
    for (let i = 1; i <= n; i++) {
      const ci = {
        id: `ci:${code.toLowerCase()}-${String(i).padStart(3, '0')}`,
        type: 'ci',
        name: `${code}-${String(i).padStart(3, '0')}`,
        ciClass,
        category,
        location: rng.pick(LOCATIONS),
        status: 'in-service',
      };
      cis.push(ci);
      docs.push(ci);
    }
  }
  const kb: Doc[] = KB_TOPICS.map(([title, category], i) => ({
    id: `kb:${String(i + 1).padStart(4, '0')}`,
    type: 'kb',
    name: title,
    category,
    body: `## ${title}\n\n1. Confirm the caller's identity.\n2. Follow the steps for **${category}** issues.\n3. Record what you did in a work note.`,
  }));
  docs.push(...kb);
  for (const [id, name, category, needsApproval] of CATALOG)
    docs.push({ id, type: 'catalog-item', name, category, needsApproval });
  const technicians = docs
    .filter((d) => d.type === 'person' && Array.isArray(d.roles) && d.roles.includes('technician'))
    .map((d) => String(d.username));
  return { docs, agents, technicians, callers, cis, kb };
}
