import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pathToFileURL } from 'node:url';
import { getRequestListener, RequestError, type ServerType } from '@hono/node-server';
import { startNodeService } from '../service/node-runner.js';
import { DEFAULT_DB_PATH } from '../store/libsql.js';
import { describeStore } from '../store/open.js';
import { configFromEnv, createApp, type HttpConfig } from './app.js';
import { nodeProviders } from '../service/node-providers.js';
import { LOOPBACK_HOSTS } from './browser-guard.js';
import { errorBody, type ErrorCode } from './errors.js';
import { traceReaderPool, traceReadWorkerBuilt } from './trace-reader-pool.js';

/** A running Node server of the HTTP service. */
export interface NodeServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** The underlying `http.Server`. */
  server: ServerType;
  /** Stops accepting connections and resolves once the server is closed. */
  close(): Promise<void>;
}

/** How long the Node server waits for a slow client (Node's own defaults, 60 s for headers and 300 s per request, let one hold a connection for minutes). */
export interface NodeTimeouts {
  /** Until the request headers are in (408 after). */
  headersTimeoutMs: number;
  /** Until the whole request, body included, is in (408 after). */
  requestTimeoutMs: number;
}

/** Default timeouts: 10 s for the headers, 60 s for a whole request (a 5 MB body at ~700 kbit/s). */
export const DEFAULT_NODE_TIMEOUTS: Readonly<NodeTimeouts> = Object.freeze({ headersTimeoutMs: 10_000, requestTimeoutMs: 60_000 });

/** Timeouts from `SIGNALS_HEADERS_TIMEOUT_MS` / `SIGNALS_REQUEST_TIMEOUT_MS`; throws on a value that is not a positive integer. */
export function nodeTimeoutsFromEnv(env: Record<string, string | undefined>): NodeTimeouts {
  const read = (name: string, fallback: number): number => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer (milliseconds), got "${text}"`);
    return n;
  };
  return {
    headersTimeoutMs: read('SIGNALS_HEADERS_TIMEOUT_MS', DEFAULT_NODE_TIMEOUTS.headersTimeoutMs),
    requestTimeoutMs: read('SIGNALS_REQUEST_TIMEOUT_MS', DEFAULT_NODE_TIMEOUTS.requestTimeoutMs),
  };
}

/** True for an interface only this machine reaches: `localhost`, 127.0.0.0/8, `::1` (and its mapped form). */
function loopbackInterface(hostname: string): boolean {
  const h = hostname.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why the server must not listen on `hostname`: without a token, the Host check keeps browsers (DNS rebinding) out,
 * not a network client, which sends `Host: localhost` itself; so a token-less server stays on loopback unless the
 * operator deliberately lists the names clients use (`SIGNALS_ALLOWED_HOSTS`). Null when it may.
 */
function exposureProblem(config: HttpConfig, hostname: string): string | null {
  if (config.apiToken !== undefined || config.allowedHosts !== undefined || loopbackInterface(hostname)) return null;
  return (
    `Refusing to listen on ${hostname} without SIGNALS_API_TOKEN: anyone who reaches the port could read all traffic and change signals ` +
    '(the Host check stops browsers, not network clients). Set SIGNALS_API_TOKEN, or listen on 127.0.0.1, or, to expose it ' +
    'without a token deliberately, list the names clients use in SIGNALS_ALLOWED_HOSTS'
  );
}

/** A JSON error answer, as the app's own errors are. */
function jsonError(status: number, code: ErrorCode, message: string): Response {
  return new Response(JSON.stringify(errorBody(code, message)), { status, headers: { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' } });
}

/**
 * What the adapter answers when it cannot make a request of what came (a `Host` that is no host name, a target that
 * is no path; its messages are fixed sentences), or when the app's promise fails (the app answers its own errors).
 */
function adapterError(err: unknown): Response {
  if (err instanceof RequestError) return jsonError(400, 'bad_request', `Malformed request: ${err.message}`);
  console.error(err);
  return jsonError(500, 'internal_error', 'Internal server error');
}

/** Node's answers to a request its parser refuses, or one that came too slowly; any other error is a 400. */
const CLIENT_ERRORS: Record<string, [number, string, ErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'headers_too_large', 'Request line and headers exceed 16 KB'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'Payload Too Large', 'payload_too_large', 'Chunk extensions exceed 16 KB'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request_timeout', 'The request did not arrive in time (SIGNALS_HEADERS_TIMEOUT_MS, SIGNALS_REQUEST_TIMEOUT_MS)'],
};

/**
 * Node's `clientError`: answers with the JSON error body every other error has (Node's own answer has none), when
 * nothing of an answer was sent on the connection yet (Node's rule), then closes it.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket): void {
  // The parser reports each later chunk of a refused request again: one answer.
  if (socket.writableEnded || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const [status, reason, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', 'bad_request', 'Malformed HTTP request'];
  const body = JSON.stringify(errorBody(code, message));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  // Closed with the rest of the request unread, the connection would be reset and the answer lost: read it away for a
  // moment, then close.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/**
 * Starts the Hono app on `@hono/node-server`; port 0 picks a free port. Without a token and `allowedHosts`, only a
 * loopback `hostname` is accepted (see `exposureProblem`).
 */
export function startNodeServer(
  config: HttpConfig,
  port: number,
  hostname: string,
  timeouts: NodeTimeouts = DEFAULT_NODE_TIMEOUTS,
): Promise<NodeServer> {
  const exposed = exposureProblem(config, hostname);
  if (exposed !== null) return Promise.reject(new Error(exposed));
  return new Promise((resolve, reject) => {
    const { headersTimeoutMs, requestTimeoutMs } = timeouts;
    const serverOptions = {
      headersTimeout: headersTimeoutMs,
      // Node requires requestTimeout >= headersTimeout (0 would disable it).
      requestTimeout: Math.max(requestTimeoutMs, headersTimeoutMs),
      // Node checks both timeouts on this interval (30 s by default), so it bounds how late they fire.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeoutMs / 4))),
      // Node would answer an HTTP/1.1 request without `Host` with an empty 400; the app answers it (JSON; the Host
      // check refuses it where hosts are checked).
      requireHostHeader: false,
    };
    // Without a token, a Node server answers only loopback names unless the operator lists others (DNS rebinding).
    const guarded = config.apiToken === undefined && config.allowedHosts === undefined ? { ...config, allowedHosts: LOOPBACK_HOSTS } : config;
    // Export bodies are read on a worker thread when its entry is built (not under a test runner's TypeScript sources).
    const reader = config.traceReader === undefined && traceReadWorkerBuilt() ? traceReaderPool({ onFallback: () => console.error('signals: a trace reading thread failed; the export was read on the main thread') }) : undefined;
    const app = createApp(reader === undefined ? guarded : { ...guarded, traceReader: reader });
    // Once the app has its answer, a client that stops reading it for the request timeout loses it: Node closes an
    // idle socket with no 'timeout' listener (without a limit, such a client held a batch, its input and the connection
    // as long as it liked). Not before: a handler may take longer (an LLM test) with the socket idle. When the answer
    // is sent, Node's keep-alive timeout replaces this one, and the next request on the connection clears it.
    const answered = async (request: Request, env: { outgoing: ServerResponse }): Promise<Response> => {
      const response = await app.fetch(request, env);
      env.outgoing.setTimeout(requestTimeoutMs);
      return response;
    };
    const server: ServerType = createServer(serverOptions, getRequestListener(answered as never, { hostname, errorHandler: adapterError }));
    server.on('clientError', answerClientError);
    server.listen(port, hostname, () => {
      const info = server.address() as AddressInfo;
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        server,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : void (reader?.close() ?? Promise.resolve()).then(done, fail)));
            // Keep-alive connections would otherwise hold close() open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', (err) => {
      void reader?.close();
      reject(err);
    });
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const host = process.env.HOST ?? '127.0.0.1';
  // The signals store is on by default (SIGNALS_DB, default .signals/signals.db); SIGNALS_DB=none serves without it.
  const config = { ...configFromEnv(process.env), providers: nodeProviders(process.env) };
  const signals = process.env.SIGNALS_DB?.trim() === 'none' ? undefined : await startNodeService(process.env, { providers: config.providers });
  const running = await startNodeServer({ ...config, signals: signals?.service }, port, host, nodeTimeoutsFromEnv(process.env));
  console.log(`agent-signals HTTP service listening on ${running.url}${signals ? ` (signals store: ${describeStore(process.env.SIGNALS_DB || DEFAULT_DB_PATH)})` : ''}`);
  const stop = (): void => {
    running
      .close()
      .then(() => signals?.stop())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

// Run only as the entry script (`node dist/http/node.js`), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
