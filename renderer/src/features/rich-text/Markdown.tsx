import { useMemo } from 'react';
import { Box } from '@mui/material';
import { renderMarkdown } from '../../platform/markdown';

/** User-supplied markdown, sanitized (see platform/markdown.ts). */
export function Markdown({ text, testId }: { readonly text: string; readonly testId?: string }) {
  const html = useMemo(() => renderMarkdown(text), [text]);
  return (
    <Box
      data-testid={testId}
      className="markdown"
      sx={{
        fontSize: 14,
        overflowWrap: 'anywhere',
        '& p': { my: 0.5 },
        '& pre': { p: 1, bgcolor: 'action.hover', overflowX: 'auto' },
        '& blockquote': { borderLeft: 3, borderColor: 'divider', pl: 1, ml: 0 },
        '& a': { color: 'primary.main' },
      }}
      // Sanitized by DOMPurify with an allow-list; raw HTML in the source is never rendered.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
