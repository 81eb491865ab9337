import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Checkbox,
  FormControlLabel,
  FormGroup,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useWorkspace } from '../../app/services';
import { useDirectory, useDirectoryNames } from '../../app/useDirectory';
import { couchJson } from '../../data/couch-http';
import { STAFF_ROLES } from '../../../../shared/sync/databases';

type Action = 'create' | 'set-roles' | 'set-groups' | 'reset-password' | 'disable';
type Row = {
  id: string;
  action: Action;
  name: string;
  roles: string[] | null;
  groupIds: string[] | null;
  by: string;
  at: string;
  state: string;
  reason: string | null;
  temporaryPassword: string | null;
};

/** An account as desk services publish it (`staff-accounts`; admins cannot read `_users`). */
type Account = {
  name: string;
  fullName: string;
  roles: string[];
  disabled: boolean;
  mustChangePassword: boolean;
};

const LABELS: Record<Action, string> = {
  create: 'Create an account',
  'set-roles': 'Set roles',
  'set-groups': 'Set assignment groups',
  'reset-password': 'Reset the password',
  disable: 'Disable the account (signs it out)',
};

/**
 * Staff administration for admins, through desk services: each change is a request document in
 * the services database that desk services carries out and audits; admins never need the server
 * admin's password. Assignment groups are the `groupIds` of the person's directory record (what
 * the console reads as "my groups"). Online only (the services database is not replicated).
 */
export function StaffPage() {
  const { couchUrl, dbPrefix, session, db } = useWorkspace();
  const base = `${couchUrl.replace(/\/$/, '')}/${dbPrefix ?? 'sb_'}services`;
  const [action, setAction] = useState<Action>('create');
  const [name, setName] = useState('');
  const [fullName, setFullName] = useState('');
  const [roles, setRoles] = useState<string[]>(['agent']);
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const groups = useDirectory('group');
  const groupName = useDirectoryNames('group');
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<readonly Row[]>([]);
  const [accounts, setAccounts] = useState<readonly Account[] | null>(null);
  const people = useDirectory('person');

  const load = useCallback(async () => {
    const q = (k: string) => encodeURIComponent(JSON.stringify(k));
    const range = (p: string) =>
      couchJson<{ rows: { id: string; doc?: Record<string, unknown> }[] }>(
        `${base}/_all_docs?include_docs=true&startkey=${q(p)}&endkey=${q(p + '\ufff0')}`,
      );
    const [requests, results, list] = await Promise.all([
      range('staff-request:'),
      range('staff-result:'),
      range('staff-accounts'),
    ]);
    const published = list.rows.find((r) => r.id === 'staff-accounts')?.doc?.accounts;
    setAccounts(Array.isArray(published) ? (published as Account[]) : null);
    const byId = new Map(
      results.rows.map((r) => [r.id.slice('staff-result:'.length), r.doc ?? {}]),
    );
    setRows(
      requests.rows
        .map((r) => {
          const d = r.doc ?? {};
          const id = r.id.slice('staff-request:'.length);
          const res = byId.get(id) ?? {};
          const text = (v: unknown) => (typeof v === 'string' ? v : null);
          return {
            id,
            action: d.action as Action,
            name: text(d.name) ?? '',
            roles: Array.isArray(d.roles) ? (d.roles as string[]) : null,
            groupIds: Array.isArray(d.groupIds) ? (d.groupIds as string[]) : null,
            by: text(d.by) ?? '',
            at: text(d.at) ?? '',
            state: text(res.state) ?? 'waiting for desk services',
            reason: text(res.reason),
            temporaryPassword: text(res.temporaryPassword),
          };
        })
        .sort((a, b) => b.at.localeCompare(a.at)),
    );
  }, [base]);

  // Setting groups starts from the person's current ones (their directory record).
  useEffect(() => {
    if (action !== 'set-groups') return;
    let stop = false;
    void db.directory
      .findOne(`person:${name.trim()}`)
      .exec()
      .then((p) => {
        const g = p?.get('groupIds') as unknown;
        if (!stop) setGroupIds(Array.isArray(g) ? g.filter((x) => typeof x === 'string') : []);
      });
    return () => {
      stop = true;
    };
  }, [action, name, db]);

  useEffect(() => {
    let stop = false;
    const tick = () => void load().catch(() => !stop && setError('The server is not reachable.'));
    tick();
    const t = setInterval(tick, 2_000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [load]);

  const submit = async () => {
    setError(null);
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    try {
      await couchJson(`${base}/${encodeURIComponent(`staff-request:${id}`)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          action,
          name: name.trim(),
          ...(action === 'create' ? { fullName: fullName.trim() } : {}),
          ...(action === 'create' || action === 'set-roles' ? { roles } : {}),
          ...(action === 'set-groups' ? { groupIds } : {}),
          by: session.name,
          at: new Date().toISOString(),
        }),
      });
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Box sx={{ p: 2, display: 'grid', gap: 3, maxWidth: 1100 }} data-testid="staff-page">
      <Typography variant="h5" component="h2">
        Staff
      </Typography>
      <Stack
        component="form"
        spacing={2}
        aria-label="Staff change"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TextField
          select
          label="Change"
          value={action}
          onChange={(e) => setAction(e.target.value as Action)}
        >
          {(Object.keys(LABELS) as Action[]).map((a) => (
            <MenuItem key={a} value={a}>
              {LABELS[a]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Account name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
        {action === 'create' && (
          <TextField
            label="Full name"
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
          />
        )}
        {(action === 'create' || action === 'set-roles') && (
          <FormGroup row aria-label="Roles">
            {STAFF_ROLES.map((r) => (
              <FormControlLabel
                key={r}
                label={r}
                control={
                  <Checkbox
                    checked={roles.includes(r)}
                    onChange={(e) =>
                      setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))
                    }
                  />
                }
              />
            ))}
          </FormGroup>
        )}
        {action === 'set-groups' && (
          <FormGroup row aria-label="Assignment groups">
            {groups.map((g) => (
              <FormControlLabel
                key={g.id}
                label={g.name}
                control={
                  <Checkbox
                    checked={groupIds.includes(g.id)}
                    onChange={(e) =>
                      setGroupIds(
                        e.target.checked ? [...groupIds, g.id] : groupIds.filter((x) => x !== g.id),
                      )
                    }
                  />
                }
              />
            ))}
          </FormGroup>
        )}
        {error && <Alert severity="error">{error}</Alert>}
        <Box>
          <Button type="submit" variant="contained" disabled={name.trim() === ''}>
            Ask desk services
          </Button>
        </Box>
      </Stack>
      <Box component="section" aria-labelledby="staff-accounts-title">
        <Typography id="staff-accounts-title" variant="h6" component="h3">
          Accounts
        </Typography>
        {accounts === null ? (
          <Typography color="text.secondary">
            Desk services have not published the accounts yet.
          </Typography>
        ) : (
          <Box
            component="table"
            data-testid="staff-accounts"
            sx={{ borderCollapse: 'collapse', '& td, & th': { px: 1, py: 0.5, textAlign: 'left' } }}
          >
            <thead>
              <tr>
                <th>Account</th>
                <th>Name</th>
                <th>Roles</th>
                <th>Assignment groups</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => {
                const person = people.find((p) => p.id === `person:${a.name}`);
                const g = Array.isArray(person?.groupIds) ? (person.groupIds as string[]) : [];
                return (
                  <tr key={a.name} data-account={a.name}>
                    <td>
                      <code>{a.name}</code>
                    </td>
                    <td>{a.fullName}</td>
                    <td>{a.roles.join(', ') || 'no roles'}</td>
                    <td>{g.map(groupName).join(', ') || '—'}</td>
                    <td>
                      {a.disabled
                        ? 'disabled'
                        : a.mustChangePassword
                          ? 'sets a new password at next sign-in'
                          : 'active'}
                    </td>
                    <td>
                      <Button
                        size="small"
                        onClick={() => {
                          setName(a.name);
                          setRoles(a.roles);
                          if (action === 'create') setAction('set-roles');
                        }}
                      >
                        Change
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </Box>
        )}
      </Box>
      <Box component="section" aria-labelledby="staff-log-title">
        <Typography id="staff-log-title" variant="h6" component="h3">
          Changes (audited)
        </Typography>
        {rows.length === 0 ? (
          <Typography color="text.secondary">No staff changes yet.</Typography>
        ) : (
          <Box component="ul" sx={{ m: 0, pl: 3 }} data-testid="staff-log">
            {rows.map((r) => (
              <li key={r.id} data-state={r.state}>
                {LABELS[r.action] ?? r.action}: <b>{r.name}</b>
                {r.roles ? ` (${r.roles.join(', ') || 'no roles'})` : ''}
                {r.groupIds ? ` (${r.groupIds.map(groupName).join(', ') || 'no groups'})` : ''} · by{' '}
                {r.by} · {new Date(r.at).toLocaleString()} · {r.state}
                {r.reason ? `: ${r.reason}` : ''}
                {r.temporaryPassword && (
                  <>
                    {' '}
                    · temporary password{' '}
                    <code data-testid="temporary-password">{r.temporaryPassword}</code> (give it to{' '}
                    {r.name} in person)
                  </>
                )}
              </li>
            ))}
          </Box>
        )}
      </Box>
    </Box>
  );
}
