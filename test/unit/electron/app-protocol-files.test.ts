import { describe, expect, it } from 'vitest';
import { handleAppRequest, isAttachmentPath } from '../../../electron/main/app-protocol';

const served: string[] = [];
const deps = {
  rendererDir: '/nonexistent',
  couchUrl: 'http://127.0.0.1:1',
  dbPrefix: 'sb_',
  fetch: (url: string) => {
    served.push(url);
    return Promise.resolve(
      new Response('<script>window.desk</script>', { headers: { 'content-type': 'text/html' } }),
    );
  },
};

describe('app:// never serves server files as app pages', () => {
  it('knows attachment paths from documents, design and _local documents', () => {
    expect(isAttachmentPath('/couch/sb_attachments/file-1/data')).toBe(true);
    expect(isAttachmentPath('/couch/sb_tickets/INC-1')).toBe(false);
    expect(isAttachmentPath('/couch/sb_tickets/_design/switchboard/_view/by_ci')).toBe(false);
    expect(isAttachmentPath('/couch/sb_tickets/_local/x')).toBe(false);
  });

  it('refuses to open a file as a document or frame on the privileged origin', async () => {
    for (const dest of ['document', 'iframe', 'object', 'embed']) {
      const r = await handleAppRequest(
        new Request('app://switchboard/couch/sb_attachments/file-1/data', {
          headers: { 'sec-fetch-dest': dest },
        }),
        deps,
      );
      expect(r.status).toBe(403);
    }
    expect(served).toEqual([]);
  });

  it('hands files to fetch sandboxed, unsniffed and as downloads', async () => {
    const r = await handleAppRequest(
      new Request('app://switchboard/couch/sb_attachments/file-1/data', {
        headers: { 'sec-fetch-dest': 'empty' },
      }),
      deps,
    );
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/^sandbox/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('content-disposition')).toBe('attachment');
  });
});
