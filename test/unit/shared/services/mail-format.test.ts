import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TEMPLATES,
  deskMessageId,
  escapeHtml,
  fillTemplate,
  loopReason,
  stableHash,
  threadRootId,
  ticketNumberOf,
} from '../../../../shared/services/mail-format';

const N = 'INC-2R29GYJHVF81';

describe('mail conventions', () => {
  it('derives the same Message-ID from the same reply, another from another', () => {
    const a = deskMessageId(N, 'reply:INC-2R29GYJHVF81:x1', 'desk.test');
    expect(a).toBe(deskMessageId(N, 'reply:INC-2R29GYJHVF81:x1', 'desk.test'));
    expect(a).not.toBe(deskMessageId(N, 'reply:INC-2R29GYJHVF81:x2', 'desk.test'));
    expect(a).toMatch(/^<sb\.INC-2R29GYJHVF81\.[0-9a-z]{14}@desk\.test>$/);
    expect(stableHash('a')).not.toBe(stableHash('b'));
  });

  it('finds the ticket in the subject, else in the desk ids of the references', () => {
    expect(ticketNumberOf(`Re: [${N.toLowerCase()}] printer`, [])).toBe(N);
    expect(ticketNumberOf('Re: printer', ['<x@y>', deskMessageId(N, 'k', 'd.test')])).toBe(N);
    expect(ticketNumberOf('Re: printer', [threadRootId(N, 'd.test')])).toBe(N);
    expect(ticketNumberOf('INC-2R29GYJHVF81 without brackets', ['<sb.nothing@d>'])).toBeNull();
  });

  it('recognises automatic mail and its own', () => {
    const own = ['desk@d.test'];
    expect(loopReason({ from: 'a@b', autoSubmitted: 'auto-replied' }, own)).toMatch(
      /Auto-Submitted/,
    );
    expect(loopReason({ from: 'a@b', autoSubmitted: 'no' }, own)).toBeNull();
    expect(loopReason({ from: 'a@b', precedence: 'Bulk' }, own)).toMatch(/bulk/);
    expect(loopReason({ from: 'a@b', listId: '<l.x>' }, own)).toMatch(/List-Id/);
    expect(loopReason({ from: 'DESK@d.test' }, own)).toMatch(/desk itself/);
    expect(loopReason({ from: 'mailer-daemon@x' }, own)).toMatch(/mail system/);
    expect(loopReason({ from: 'rita@outside.example' }, own)).toBeNull();
  });

  it('fills templates, escaping values for HTML except the raw ones', () => {
    const v = {
      number: N,
      title: '<b>x</b> & y',
      body: '<p>ok</p>',
      requesterName: 'Rita',
      reopenDays: '7',
    };
    expect(fillTemplate(DEFAULT_TEMPLATES.reply.subject, v)).toBe(`Re: [${N}] <b>x</b> & y`);
    const html = fillTemplate(
      '<h1>{{title}}</h1>{{body}}{{unknown}}',
      v,
      escapeHtml,
      new Set(['body']),
    );
    expect(html).toBe('<h1>&lt;b&gt;x&lt;/b&gt; &amp; y</h1><p>ok</p>{{unknown}}');
    expect(fillTemplate(DEFAULT_TEMPLATES.resolved.text, v)).toContain('within 7 days');
  });
});
