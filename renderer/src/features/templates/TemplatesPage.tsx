import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Box, Button, Stack, Tab, Tabs, TextField, Typography } from '@mui/material';
import { useWorkspace } from '../../app/services';
import { couchJson, CouchHttpError } from '../../data/couch-http';
import { renderMarkdown } from '../../platform/markdown';
import { DEFAULT_TEMPLATES, type MailKind } from '../../../../shared/services/mail-format';
import {
  PLACEHOLDERS,
  SAMPLE_VALUES,
  TEMPLATE_KINDS,
  TEMPLATE_LABELS,
  renderMail,
  templateErrors,
  type TemplateDoc,
  type TemplateField,
} from '../../../../shared/services/mail-templates';

type Stored = TemplateDoc & { _id: string; _rev: string };
type Draft = Record<TemplateField, string>;

const FIELDS: readonly { field: TemplateField; label: string; rows: number }[] = [
  { field: 'subject', label: 'Subject', rows: 1 },
  { field: 'text', label: 'Plain text', rows: 8 },
  { field: 'html', label: 'HTML', rows: 8 },
];

const draftOf = (t: { subject: string; text: string; html: string }): Draft => ({
  subject: t.subject,
  text: t.text,
  html: t.html,
});

/**
 * The mail templates desk services send from (acknowledgement, public reply, resolution; plain
 * text and HTML), for admins: each field is checked as it is typed (an unknown placeholder is an
 * error under its field), the preview fills the template with a sample ticket (the subject and
 * text as text, the HTML in a sandboxed frame that runs no script and loads nothing remote), and
 * a save writes the next version, which the next mail uses. Online only (the services database
 * is not replicated); the server's rule (shared/services/mail-templates.ts) is the same check.
 */
export function TemplatesPage() {
  const { couchUrl, dbPrefix, session } = useWorkspace();
  const base = `${couchUrl.replace(/\/$/, '')}/${dbPrefix ?? 'sb_'}services`;
  const [kind, setKind] = useState<MailKind>('ack');
  const [stored, setStored] = useState<Partial<Record<MailKind, Stored | null>>>({});
  const [drafts, setDrafts] = useState<Partial<Record<MailKind, Draft>>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const read = useCallback(
    async (k: MailKind): Promise<Stored | null> => {
      try {
        return await couchJson<Stored>(`${base}/${encodeURIComponent(`template:${k}`)}`);
      } catch (e) {
        if (e instanceof CouchHttpError && e.status === 404) return null;
        throw e;
      }
    },
    [base],
  );

  useEffect(() => {
    let stop = false;
    void Promise.all(TEMPLATE_KINDS.map(async (k) => [k, await read(k)] as const))
      .then((all) => !stop && setStored(Object.fromEntries(all)))
      .catch((e: unknown) => !stop && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      stop = true;
    };
  }, [read]);

  const current = stored[kind];
  const loaded = current !== undefined;
  const saved: Draft = current ? draftOf(current) : draftOf(DEFAULT_TEMPLATES[kind]);
  const draft = drafts[kind] ?? saved;
  const errors = templateErrors(draft);
  const valid = Object.keys(errors).length === 0;
  const nextVersion = (typeof current?.version === 'number' ? current.version : 0) + 1;
  const changed = FIELDS.some(({ field }) => draft[field] !== saved[field]);
  const preview = useMemo(
    () => (valid ? renderMail(draft, SAMPLE_VALUES, renderMarkdown) : null),
    [valid, draft],
  );

  const edit = (field: TemplateField, value: string) => {
    setNotice(null);
    setDrafts((d) => ({ ...d, [kind]: { ...draft, [field]: value } }));
  };

  const save = async () => {
    setError(null);
    setNotice(null);
    setSaving(true);
    const version = nextVersion;
    try {
      const id = `template:${kind}`;
      const doc = {
        ...(current ? { _rev: current._rev } : {}),
        kind,
        ...draft,
        version,
        updatedBy: session.name,
        updatedAt: new Date().toISOString(),
      };
      await couchJson(`${base}/${encodeURIComponent(id)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      const fresh = await read(kind);
      setStored((s) => ({ ...s, [kind]: fresh }));
      setDrafts((d) => {
        const next = { ...d };
        delete next[kind];
        return next;
      });
      setNotice(
        `Version ${version} saved: the next ${TEMPLATE_LABELS[kind].toLowerCase()} uses it.`,
      );
    } catch (e) {
      // The edits stay in the form whatever happened.
      setError(
        e instanceof CouchHttpError && e.status === 409
          ? 'Someone saved another version meanwhile. Your edits are kept here: copy them, load the latest, and save again.'
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setSaving(false);
    }
  };

  const reloadLatest = async () => {
    setError(null);
    try {
      const fresh = await read(kind);
      setStored((s) => ({ ...s, [kind]: fresh }));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Box sx={{ p: 2, display: 'grid', gap: 2, maxWidth: 1400 }} data-testid="templates-page">
      <Typography variant="h5" component="h2">
        Mail templates
      </Typography>
      <Tabs value={kind} onChange={(_e, k: MailKind) => setKind(k)} aria-label="Template">
        {TEMPLATE_KINDS.map((k) => (
          <Tab key={k} value={k} label={TEMPLATE_LABELS[k]} data-testid={`template-tab-${k}`} />
        ))}
      </Tabs>
      <Typography variant="body2" color="text.secondary" data-testid="template-version">
        {!loaded
          ? 'Loading…'
          : current
            ? typeof current.version === 'number'
              ? `Version ${current.version}, saved by ${current.updatedBy} on ${new Date(current.updatedAt).toLocaleString()}.`
              : 'Saved before templates had versions.'
            : 'The default template (never saved).'}
      </Typography>
      <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { md: '1fr 1fr' } }}>
        <Stack
          component="form"
          spacing={2}
          aria-label="Template fields"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {FIELDS.map(({ field, label, rows }) => (
            <TextField
              key={`${kind}-${field}`}
              label={label}
              value={draft[field]}
              onChange={(e) => edit(field, e.target.value)}
              error={errors[field] !== undefined}
              helperText={errors[field] ?? ' '}
              multiline={rows > 1}
              minRows={rows > 1 ? rows : undefined}
              disabled={!loaded}
              slotProps={{
                input: { sx: { fontFamily: field === 'subject' ? undefined : 'monospace' } },
              }}
            />
          ))}
          <Typography variant="body2" color="text.secondary" component="div">
            Placeholders:
            <Box component="ul" sx={{ m: 0, pl: 3 }}>
              {Object.entries(PLACEHOLDERS).map(([name, what]) => (
                <li key={name}>
                  <code>{`{{${name}}}`}</code>: {what}
                </li>
              ))}
            </Box>
          </Typography>
          {error && <Alert severity="error">{error}</Alert>}
          {notice && <Alert severity="success">{notice}</Alert>}
          <Stack direction="row" spacing={1}>
            <Button
              type="submit"
              variant="contained"
              disabled={!loaded || !valid || !changed || saving}
            >
              Save version {nextVersion}
            </Button>
            <Button
              onClick={() => setDrafts((d) => ({ ...d, [kind]: draftOf(DEFAULT_TEMPLATES[kind]) }))}
              disabled={!loaded}
            >
              Start from the default
            </Button>
            <Button onClick={() => void reloadLatest()} disabled={!loaded}>
              Load the latest
            </Button>
          </Stack>
        </Stack>
        <Box
          component="section"
          aria-labelledby="template-preview-title"
          sx={{ display: 'grid', gap: 1 }}
        >
          <Typography id="template-preview-title" variant="h6" component="h3">
            Preview with a sample ticket
          </Typography>
          {preview === null ? (
            <Typography color="text.secondary" data-testid="template-preview-invalid">
              Fix the errors to see the preview.
            </Typography>
          ) : (
            <>
              <Typography data-testid="template-preview-subject">
                <b>Subject:</b> {preview.subject}
              </Typography>
              <Box
                component="pre"
                data-testid="template-preview-text"
                sx={{ m: 0, p: 1, whiteSpace: 'pre-wrap', border: 1, borderColor: 'divider' }}
              >
                {preview.text}
              </Box>
              {/* No allow-* token: no script, no form, no navigation, an opaque origin. */}
              <Box
                component="iframe"
                title="HTML preview"
                sandbox=""
                srcDoc={preview.html}
                data-testid="template-preview-html"
                sx={{
                  width: '100%',
                  minHeight: 260,
                  border: 1,
                  borderColor: 'divider',
                  bgcolor: '#fff',
                }}
              />
            </>
          )}
        </Box>
      </Box>
    </Box>
  );
}
