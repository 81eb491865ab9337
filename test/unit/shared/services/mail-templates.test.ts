/**
 * The mail templates' checks, their validate_doc_update rule and the rendering shared by desk
 * services and the Templates page's preview.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES, escapeHtml } from '../../../../shared/services/mail-format';
import {
  SAMPLE_VALUES,
  TEMPLATE_KINDS,
  effectiveTemplate,
  renderMail,
  templateErrors,
  templateKindOf,
  templateWriteError,
} from '../../../../shared/services/mail-templates';
import { validate as servicesValidate } from '../../../../server/src/design/services-entry';
import { SERVICE_ROLE } from '../../../../shared/services/service-rules';
import { XSS_CORPUS } from '../../../support/xss-corpus';

const good = {
  subject: 'Re: [{{number}}] {{ title }}',
  text: 'Hi {{requesterName}}',
  html: '<p>{{body}}</p>',
};
const ada = { name: 'ada', roles: ['admin'] };
const saved = (version: number, over: Record<string, unknown> = {}) => ({
  _id: 'template:reply',
  kind: 'reply',
  ...good,
  version,
  updatedBy: 'ada',
  updatedAt: '2026-12-07T10:00:00.000Z',
  ...over,
});

describe('templateErrors', () => {
  it('passes the default templates and a good edit', () => {
    for (const k of TEMPLATE_KINDS) expect(templateErrors(DEFAULT_TEMPLATES[k]), k).toEqual({});
    expect(templateErrors(good)).toEqual({});
  });

  it('names an unknown placeholder next to its field, and lists the known ones', () => {
    const e = templateErrors({ ...good, text: 'Dear {{requester}}, {{title}}' });
    expect(Object.keys(e)).toEqual(['text']);
    expect(e.text).toContain('Unknown placeholder {{requester}}');
    expect(e.text).toContain('{{requesterName}}');
    expect(templateErrors({ ...good, html: '<p>{{ Body }}</p>' }).html).toContain('{{ Body }}');
    expect(templateErrors({ ...good, subject: '[{{number}}] {{constructor}}' }).subject).toContain(
      'Unknown placeholder {{constructor}}',
    );
    expect(templateErrors({ ...good, text: '{{}} x' }).text).toContain('Unknown placeholder');
  });

  it('finds placeholders left open or closed alone', () => {
    expect(templateErrors({ ...good, text: 'Hi {{requesterName' }).text).toMatch(/left open/);
    expect(templateErrors({ ...good, text: 'Hi requesterName}}' }).text).toMatch(/left open/);
  });

  it('keeps the ticket number in a one-line subject of bounded size', () => {
    expect(templateErrors({ ...good, subject: '{{title}}' }).subject).toMatch(/\[\{\{number\}\}\]/);
    expect(templateErrors({ ...good, subject: '{{number}}: {{title}}' }).subject).toMatch(/keeps/);
    expect(templateErrors({ ...good, subject: '[{{number}}]\r\nBcc: x@y' }).subject).toMatch(
      /one line/,
    );
    expect(templateErrors({ ...good, subject: '' }).subject).toMatch(/needed/);
    expect(templateErrors({ ...good, subject: `[{{number}}] ${'x'.repeat(400)}` }).subject).toMatch(
      /at most/,
    );
    expect(templateErrors({ ...good, text: 'x'.repeat(70_000) }).text).toMatch(/at most/);
    expect(templateErrors({ subject: 1, text: null }).text).toMatch(/needed/);
  });

  it('refuses HTML that could run code: scripts, handlers, javascript: links', () => {
    for (const html of [
      '<script>alert(1)</script>',
      '<p onclick="x()">a</p>',
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">a</a>',
      '<a href = " JaVaScRiPt:alert(1)">a</a>',
      '<iframe src="https://evil.example"></iframe>',
      '<form action="https://evil.example"><input></form>',
      '<img src="data:text/html;base64,PHNjcmlwdD4=">',
    ])
      expect(templateErrors({ ...good, html }).html, html).toBeTruthy();
    // Words like "data:" in the text are not links.
    expect(templateErrors({ ...good, html: '<p>Your data: kept. Onboarding: soon.</p>' })).toEqual(
      {},
    );
  });
});

describe('renderMail (what desk services sends, what the preview shows)', () => {
  it('fills every placeholder, escapes values in the HTML and renders the body', () => {
    const hostile = { ...SAMPLE_VALUES, title: '<img src=x onerror=alert(1)>', body: 'b' };
    const m = renderMail(good, hostile, (s) => `<em>${escapeHtml(s)}</em>`);
    expect(m.subject).toBe(`Re: [${SAMPLE_VALUES.number}] <img src=x onerror=alert(1)>`);
    expect(m.text).toBe(`Hi ${SAMPLE_VALUES.requesterName}`);
    expect(m.html).toBe('<p><em>b</em></p>');
    const t = renderMail({ ...good, html: '<h1>{{title}}</h1>' }, hostile, (s) => s);
    expect(t.html).toBe('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
  });

  it('escapes every XSS corpus entry put in a value of the HTML part', () => {
    for (const x of XSS_CORPUS) {
      const m = renderMail(
        { ...good, html: '<p>{{title}} {{requesterName}}</p>' },
        { ...SAMPLE_VALUES, title: x, requesterName: x },
        (s) => s,
      );
      expect(m.html).not.toMatch(/<(?!\/?p>)/);
    }
  });

  it('keeps the subject on one line whatever a value holds', () => {
    const m = renderMail(good, { ...SAMPLE_VALUES, title: 'a\r\nBcc: x@y' }, (s) => s);
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describe('effectiveTemplate', () => {
  it('uses a valid saved template with its version, else the default', () => {
    expect(effectiveTemplate('reply', saved(3))).toMatchObject({ ...good, version: 3 });
    expect(effectiveTemplate('reply', null)).toEqual({ ...DEFAULT_TEMPLATES.reply, version: 0 });
    expect(effectiveTemplate('reply', saved(4, { text: '{{nope}}' }))).toEqual({
      ...DEFAULT_TEMPLATES.reply,
      version: 0,
    });
  });
});

describe('templateWriteError (validate_doc_update of template: documents)', () => {
  it('lets an admin save the next version in their own name', () => {
    expect(templateWriteError(saved(1), null, ada)).toBeNull();
    expect(templateWriteError(saved(4), saved(3), ada)).toBeNull();
  });

  it('refuses everyone but admins, desk services included', () => {
    for (const roles of [['agent'], ['supervisor'], ['technician'], [SERVICE_ROLE], []])
      expect(templateWriteError(saved(1), null, { name: 'x', roles }), roles.join()).toMatch(
        /Only admins/,
      );
  });

  it('refuses a wrong or repeated version, another name, unknown kinds, fields, deletions', () => {
    expect(templateWriteError(saved(3), saved(3), ada)).toMatch(/version 4/);
    expect(templateWriteError(saved(2), null, ada)).toMatch(/version 1/);
    expect(templateWriteError(saved(1, { updatedBy: 'ben' }), null, ada)).toMatch(/who saved/);
    expect(templateWriteError(saved(1, { updatedAt: 'soon' }), null, ada)).toMatch(/when/);
    expect(templateWriteError(saved(1, { _id: 'template:x', kind: 'x' }), null, ada)).toMatch(
      /template:ack/,
    );
    expect(templateWriteError(saved(1, { kind: 'ack' }), null, ada)).toMatch(/kind is reply/);
    expect(templateWriteError(saved(1, { script: 1 }), null, ada)).toMatch(/no field script/);
    expect(templateWriteError(saved(2, { _deleted: true }), saved(1), ada)).toMatch(
      /never deleted/,
    );
    expect(templateWriteError(saved(1, { text: 'Dear {{x}}' }), null, ada)).toMatch(
      /^text: Unknown placeholder \{\{x\}\}/,
    );
  });

  it('knows the three kinds', () => {
    expect(TEMPLATE_KINDS.map((k) => templateKindOf(`template:${k}`))).toEqual(TEMPLATE_KINDS);
    expect(templateKindOf('template:')).toBeNull();
    expect(templateKindOf('out:ack')).toBeNull();
  });
});

describe('the services database rule (server/src/design/services-entry.ts)', () => {
  const svc = { name: 'desk-services', roles: [SERVICE_ROLE] };
  it('lets desk services write their work but not templates; admins templates and requests', () => {
    expect(servicesValidate({ _id: 'out:1', state: 'queued' }, null, svc).ok).toBe(true);
    expect(servicesValidate(saved(1), null, svc).ok).toBe(false);
    expect(servicesValidate(saved(1), null, ada).ok).toBe(true);
    expect(
      servicesValidate({ _id: 'staff-request:1', by: 'ada', action: 'disable' }, null, ada).ok,
    ).toBe(true);
    expect(
      servicesValidate({ _id: 'staff-request:1', by: 'ben', action: 'disable' }, null, ada).ok,
    ).toBe(false);
    expect(servicesValidate({ _id: 'out:1' }, null, ada).ok).toBe(false);
    expect(servicesValidate({ _id: '_design/x' }, null, svc).ok).toBe(false);
    expect(
      servicesValidate(saved(1, { text: '{{x}}' }), null, { name: 'admin', roles: ['_admin'] }).ok,
    ).toBe(true);
  });
});
