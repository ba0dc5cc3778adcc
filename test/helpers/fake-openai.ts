/**
 * A local OpenAI-compatible chat-completions server for the LLM judge tests (node:http on 127.0.0.1, port 0).
 * Replies are scripted: a queue consumed one per request, then a default; a reply may wait for a gate. It records
 * every request and the largest number of requests in flight at once, to check the judge's concurrency limit.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One scripted reply. `hang` never answers (a timeout); `body` is sent raw instead of `json`. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  delayMs?: number;
  hang?: boolean;
  /** Answered once this settles (a test holds a request in flight while it moves other replicas on). */
  gate?: Promise<unknown>;
}

/** A request as the server saw it. */
export interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
  body: any;
}

export interface FakeOpenAi {
  /** Base URL to put in `llm.base_url` (`http://127.0.0.1:PORT/v1`). */
  baseUrl: string;
  requests: SeenRequest[];
  maxInFlight: number;
  /** Queues replies for the next requests, in order. */
  reply(...replies: FakeReply[]): void;
  /** The reply once the queue is empty (default: a `yes` answer). */
  fallback: (request: SeenRequest) => FakeReply;
  close(): Promise<void>;
}

/** A chat completion whose content is `content` (a string sent as is, anything else JSON-encoded). */
export function completion(content: unknown, usage = { prompt_tokens: 100, completion_tokens: 20 }): FakeReply {
  return {
    json: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: typeof content === 'string' ? content : JSON.stringify(content) } },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

/** A well-formed verdict answer. */
export const answer = (label: string, explanation = `picked ${label}`, usage?: { prompt_tokens: number; completion_tokens: number }): FakeReply =>
  completion({ explanation, label }, usage);

/** Starts the server. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const queue: FakeReply[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  const state: FakeOpenAi = {
    baseUrl: '',
    requests: [],
    maxInFlight: 0,
    reply: (...replies) => queue.push(...replies),
    fallback: () => answer('yes'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text: a test can assert on it
      }
      const seen: SeenRequest = { url: req.url ?? '', headers: req.headers, body };
      state.requests.push(seen);
      inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, inFlight);
      const r = queue.shift() ?? state.fallback(seen);
      const send = () => {
        inFlight--;
        res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
        res.end(r.body ?? (r.json === undefined ? '' : JSON.stringify(r.json)));
      };
      if (r.hang) {
        res.on('close', () => inFlight--);
        return;
      }
      const later = () => (r.delayMs ? setTimeout(send, r.delayMs) : send());
      if (r.gate !== undefined) void r.gate.then(later, later);
      else later();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
