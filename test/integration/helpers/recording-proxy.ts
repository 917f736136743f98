/**
 * A recording HTTP proxy for the strict-sandbox sync tests: forwards every request to a FHIR server on
 * loopback and records, per request, its status and — for a batch / transaction Bundle — every entry the
 * server received (method, conditional URL, resource type) with the status the server answered for it.
 * So a test counts what reached the server entry by entry (the sandbox's own request log sees one POST
 * per Bundle). Optional headers are added to writes on the way (e.g. `Prefer: return=minimal`, which the
 * engine does not send itself but a gateway or a server default may impose), and a Bundle or an answer
 * can be altered (a server that ignores entries, an answer that does not account for them).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Bundle } from '@medplum/fhirtypes';

/** One entry of a Bundle as the server received it. */
export interface SeenEntry {
  method: string;
  /** The entry's request URL, decoded (`Patient?identifier=system|value`). */
  url: string;
  resourceType?: string;
  /** The status the server answered for this entry (undefined: not in the answer, e.g. an empty body). */
  status?: number;
}

/** One request through the proxy. */
export interface SeenRequest {
  seq: number;
  method: string;
  /** Path and query relative to the FHIR base, decoded. */
  url: string;
  status: number;
  /** The answer had no body. */
  emptyBody: boolean;
  /** A Bundle's entries (POST of a batch / transaction). */
  entries?: SeenEntry[];
  bundleType?: string;
}

/** A running proxy. */
export interface RecordingProxy {
  /** The FHIR base through the proxy. */
  baseUrl: string;
  log: SeenRequest[];
  /** Every write the server received: a Bundle's entries and single PUT / POST requests, in order. */
  writes(): SeenEntry[];
  /** Headers added to every forwarded write (POST / PUT; change at will). */
  headers: Record<string, string>;
  /**
   * Changes a Bundle before it is forwarded (undefined: unchanged): e.g. drops entries, as a server that
   * silently ignores some would. What the log records is what was forwarded.
   */
  alterRequest?: (bundle: Bundle) => Bundle | undefined;
  /** Changes the server's answer text before the client gets it (the log records the server's own). */
  alterAnswer?: (text: string, request: SeenRequest) => string;
  close(): Promise<void>;
}

const DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding', 'host']);

/**
 * Starts a proxy in front of a FHIR base on loopback.
 * @param target - the FHIR base (e.g. the sandbox's `baseUrl`)
 * @param headers - headers added to every forwarded write
 */
export async function startRecordingProxy(target: string, headers: Record<string, string> = {}): Promise<RecordingProxy> {
  const base = new URL(target);
  const basePath = base.pathname.replace(/\/+$/, '');
  const log: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  const proxy: RecordingProxy = {
    baseUrl: '',
    log,
    headers: { ...headers },
    writes: () =>
      log.flatMap((r) =>
        r.entries ?? ((r.method === 'PUT' || r.method === 'POST') && r.url !== '/' ? [{ method: r.method, url: r.url, resourceType: r.url.split(/[/?]/)[1], status: r.status }] : [])
      ),
    close: async () => {
      for (const s of sockets) {
        s.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) {
      chunks.push(c as Buffer);
    }
    let body = Buffer.concat(chunks);
    const path = (req.url ?? '/').startsWith(basePath) ? (req.url ?? '/').slice(basePath.length) || '/' : (req.url ?? '/');
    const forwardHeaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (typeof v === 'string' && !DROP.has(k)) {
        forwardHeaders[k] = v;
      }
    }
    if (req.method === 'POST' || req.method === 'PUT') {
      Object.assign(forwardHeaders, proxy.headers);
    }
    if (proxy.alterRequest && req.method === 'POST' && path === '/' && body.length) {
      const altered = proxy.alterRequest(JSON.parse(body.toString('utf8')) as Bundle);
      if (altered) {
        body = Buffer.from(JSON.stringify(altered));
      }
    }
    const upstream = await fetch(`${base.origin}${basePath}${path}`, {
      method: req.method,
      headers: forwardHeaders,
      body: body.length ? body : undefined,
    });
    const text = await upstream.text();
    const record: SeenRequest = { seq: ++seq, method: req.method ?? 'GET', url: safeDecode(path), status: upstream.status, emptyBody: text.length === 0 };
    let sent: Bundle | undefined;
    try {
      sent = body.length ? (JSON.parse(body.toString('utf8')) as Bundle) : undefined;
    } catch {
      sent = undefined;
    }
    if (sent?.resourceType === 'Bundle' && req.method === 'POST' && path === '/') {
      let answer: Bundle | undefined;
      try {
        answer = text ? (JSON.parse(text) as Bundle) : undefined;
      } catch {
        answer = undefined;
      }
      record.bundleType = sent.type;
      record.entries = (sent.entry ?? []).map((e, i) => {
        const s = answer?.resourceType === 'Bundle' ? answer.entry?.[i]?.response?.status : undefined;
        return {
          method: e.request?.method ?? '?',
          url: safeDecode(e.request?.url ?? ''),
          resourceType: e.resource?.resourceType,
          status: s ? Number(/^\d+/.exec(s)?.[0]) : undefined,
        };
      });
    }
    log.push(record);
    const out: Record<string, string> = {};
    upstream.headers.forEach((v, k) => {
      if (!DROP.has(k)) {
        out[k] = v;
      }
    });
    const answer = proxy.alterAnswer ? proxy.alterAnswer(text, record) : text;
    res.writeHead(upstream.status, { ...out, 'content-length': String(Buffer.byteLength(answer)) });
    res.end(answer);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`;
  return proxy;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
