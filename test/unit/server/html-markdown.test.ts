import { describe, expect, it } from 'vitest';
import { htmlToMarkdown } from '../../../server/src/services/html-markdown';
import { XSS_CORPUS } from '../../support/xss-corpus';
import { dangerIn } from '../../support/inert-markdown';

describe('HTML mail → safe markdown', () => {
  it.each(XSS_CORPUS.map((p) => [p]))('keeps %s inert', (payload) => {
    const md = htmlToMarkdown(`<p>Hello</p>${payload}<p>bye</p>`);
    expect(dangerIn(md)).toEqual([]);
    expect(md).toContain('Hello');
    // An unclosed <style> swallows the rest, as it does in a browser.
    if (!payload.includes('<style><img')) expect(md).toContain('bye');
  });

  it('keeps structure: paragraphs, emphasis, lists, safe links; drops images and scripts', () => {
    const md = htmlToMarkdown(
      '<html><head><title>t</title><style>p{}</style></head><body><p>One <b>bold</b> and <i>it</i></p>' +
        '<ul><li>first</li><li>second</li></ul><a href="https://intranet.example/kb?a=1&amp;b=2">KB</a> ' +
        '<a href="javascript:alert(1)">bad</a><img src="https://tracker.example/p.gif" alt="logo">' +
        '<script>alert(1)</script>line<br>break &lt;tag&gt; &#x41;</body></html>',
    );
    expect(md).toContain('One **bold** and _it_');
    expect(md).toContain('- first\n- second');
    expect(md).toContain('[KB](https://intranet.example/kb?a=1&b=2)');
    expect(md).toContain('bad');
    expect(md).not.toContain('javascript');
    expect(md).not.toContain('tracker.example');
    expect(md).toContain('(image: logo)');
    expect(md).not.toContain('alert');
    expect(md).toContain('line  \nbreak \\<tag\\> A');
    expect(dangerIn(md)).toEqual([]);
  });

  it('survives unclosed and deeply nested markup', () => {
    const deep = '<div>'.repeat(5000) + 'deep' + '</div>'.repeat(10);
    expect(htmlToMarkdown(deep)).toBe('deep');
    expect(htmlToMarkdown('<script>never closed <b>x')).toBe('');
    expect(htmlToMarkdown('<a href="https://x.example">open link')).toBe('[open link]');
    expect(htmlToMarkdown('a'.repeat(30_000)).length).toBe(20_000);
  });
});
