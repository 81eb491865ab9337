/**
 * HTML mail bodies as safe markdown: the text and its structure (paragraphs, line breaks, lists,
 * emphasis, links to http(s)/mailto) survive; scripts, styles, remote images, frames, forms and
 * every attribute other than a safe href are dropped; what remains of `<`, `>` and markdown's
 * image/HTML syntax is escaped, so the console's markdown renderer shows it as plain text.
 */

const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'head',
  'title',
  'iframe',
  'object',
  'embed',
  'noscript',
  'template',
  'svg',
  'xml',
  'form',
  'select',
  'textarea',
]);
const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'table',
  'tr',
  'blockquote',
  'pre',
  'ul',
  'ol',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, e: string) => {
    if (e[0] === '#') {
      const code =
        e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) &&
        code > 0 &&
        code < 0x110000 &&
        (code < 0xd800 || code > 0xdfff)
        ? String.fromCodePoint(code)
        : '';
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/** Escapes text so markdown (with HTML disabled) shows it literally. */
export function escapeMarkdownText(s: string): string {
  return s.replace(/[\\`*_[\]<>!|#]/g, (c) => `\\${c}`);
}

function safeHref(raw: string): string | null {
  const href = decodeEntities(raw).trim();
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20<>()"'\\]/.test(href)) return null;
  return /^(https?:\/\/|mailto:)/i.test(href) ? href : null;
}

/** Converts an HTML body into markdown that renders inert. */
export function htmlToMarkdown(html: string, maxChars = 20_000): string {
  const out: string[] = [];
  const tagRe =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
  let pos = 0;
  let dropping: string | null = null;
  let dropDepth = 0;
  const links: (string | null)[] = [];
  let listDepth = 0;
  let m: RegExpExecArray | null;
  const text = (t: string): void => {
    if (dropping) return;
    out.push(escapeMarkdownText(decodeEntities(t).replace(/[ \t\r\n]+/g, ' ')));
  };
  while ((m = tagRe.exec(html)) !== null) {
    text(html.slice(pos, m.index));
    pos = tagRe.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue; // Comments, doctypes, CDATA, processing instructions.
    const closing = m[1] === '/';
    if (dropping) {
      if (name === dropping) dropDepth += closing ? -1 : 1;
      if (dropDepth === 0) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!closing && !/\/\s*$/.test(m[3] ?? '')) {
        dropping = name;
        dropDepth = 1;
      }
      continue;
    }
    if (name === 'br') out.push('  \n');
    else if (BLOCK.has(name) || HEADINGS.has(name)) {
      if (name === 'ul' || name === 'ol') listDepth += closing ? -1 : 1;
      out.push('\n\n');
    } else if (name === 'li' && !closing)
      out.push(`\n${'  '.repeat(Math.max(0, listDepth - 1))}- `);
    else if (name === 'b' || name === 'strong') out.push('**');
    else if (name === 'i' || name === 'em') out.push('_');
    else if (name === 'a') {
      if (!closing) {
        const href = /\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[3] ?? '');
        const target = href ? safeHref(href[2] ?? href[3] ?? href[4] ?? '') : null;
        links.push(target);
        if (target) out.push('[');
      } else {
        const target = links.pop();
        if (target) out.push(`](${target})`);
      }
    } else if (name === 'img' && !closing) {
      // Remote images are trackers: only the description stays.
      const alt = /\salt\s*=\s*("([^"]*)"|'([^']*)')/i.exec(m[3] ?? '');
      const a = alt ? (alt[2] ?? alt[3] ?? '').trim() : '';
      if (a) out.push(`(image: ${escapeMarkdownText(decodeEntities(a))})`);
    }
  }
  text(html.slice(pos));
  while (links.length) if (links.pop()) out.push(']');
  const md = out
    .join('')
    .replace(/[ \t]+\n/g, (s) => (s.startsWith('  ') ? '  \n' : '\n'))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return md.length > maxChars ? md.slice(0, maxChars) : md;
}
