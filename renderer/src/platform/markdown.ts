/**
 * Markdown for user-supplied text (descriptions, notes, replies), made safe twice: markdown-it
 * with raw HTML off (tags are shown as text), then DOMPurify with a small allow-list. No script,
 * no event handler, no image or other remote load, and links only to http(s) and mailto, opened
 * outside the console.
 */
import MarkdownIt from 'markdown-it';
import DOMPurify from 'dompurify';

const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });
// Links other than http(s)/mailto stay as text (markdown-it's own check, tightened).
md.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return DOMPurify;
}

/** Sanitized HTML for a markdown text. */
export function renderMarkdown(text: string): string {
  return purifier().sanitize(md.render(text), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'target', 'rel', 'start'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  });
}
