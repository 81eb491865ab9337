/**
 * Raw HTTP requests to a test server: the path goes on the wire exactly as given (fetch would
 * normalise `//`, `.` and `%2e%2e`), bodies may be chunked, and every request has a deadline so
 * a stalled server shows up as "no answer", not as a hung test.
 */
import { request } from 'node:http';

export type RawAnswer = {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** True when the server did not answer within the deadline. */
  readonly timedOut: boolean;
};

export type RawRequest = {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Sent with Content-Length, or chunk by chunk (no length) when `chunked`. */
  readonly body?: string | Buffer;
  readonly chunked?: boolean;
  readonly deadlineMs?: number;
};

/** Basic auth header for `user:password`. */
export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

/** Sends one request to `baseUrl` (http://127.0.0.1:port) and collects the answer. */
export function raw(baseUrl: string, r: RawRequest): Promise<RawAnswer> {
  const u = new URL(baseUrl);
  return new Promise((resolve) => {
    let done = false;
    const finish = (a: RawAnswer) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(a);
    };
    const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    if (body && !r.chunked) headers['content-length'] = String(body.length);
    if (body && r.chunked) headers['transfer-encoding'] = 'chunked';
    const req = request(
      { host: u.hostname, port: Number(u.port), method: r.method, path: r.path, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            timedOut: false,
          }),
        );
        res.on('error', () =>
          finish({ status: res.statusCode ?? 0, headers: res.headers, text: '', timedOut: false }),
        );
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, headers: {}, text: '', timedOut: true });
    }, r.deadlineMs ?? 30_000);
    req.on('error', () => finish({ status: 0, headers: {}, text: '', timedOut: false }));
    if (body && r.chunked) {
      // Several chunks, so the server cannot learn the size before reading.
      const step = Math.max(1, Math.ceil(body.length / 8));
      for (let i = 0; i < body.length; i += step) req.write(body.subarray(i, i + step));
    } else if (body) req.write(body);
    req.end();
  });
}
