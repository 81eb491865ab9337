/** Checks that markdown renders inert: what the console's markdown-it makes of it, before DOMPurify. */
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
md.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
const SAFE_TAGS = new Set([
  'p',
  'br',
  'strong',
  'em',
  'a',
  'ul',
  'ol',
  'li',
  'blockquote',
  'code',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
]);

/** What is not inert in the HTML `text` renders to (empty when safe). */
export function dangerIn(text: string): string[] {
  const html = md.render(text);
  const found: string[] = [];
  for (const m of html.matchAll(/<\/?([a-zA-Z0-9-]+)([^>]*)>/g)) {
    const tag = m[1]!.toLowerCase();
    if (!SAFE_TAGS.has(tag)) found.push(`tag ${tag}`);
    for (const a of (m[2] ?? '').matchAll(/([a-zA-Z-]+)\s*=\s*"([^"]*)"/g)) {
      const name = a[1]!.toLowerCase();
      if (name !== 'href') found.push(`attribute ${name}`);
      else if (!/^(https?:|mailto:)/i.test(a[2]!)) found.push(`href ${a[2]}`);
    }
  }
  return found;
}
