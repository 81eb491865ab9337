/** Hostile snippets for titles, notes and mail bodies: each must stay inert wherever it is shown. */
export const XSS_CORPUS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r=1 /></svg>',
  '[click me](javascript:window.__xss=4)',
  '<a href="javascript:window.__xss=5">link</a>',
  '![x](https://evil.example.com/pixel.png)',
  '<iframe src="https://evil.example.com"></iframe>',
  '"><script>window.__xss=6</script>',
  '<style>@import url(https://evil.example.com/x.css)</style>',
  '[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9Nzwvc2NyaXB0Pg==)',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=8">',
] as const;
