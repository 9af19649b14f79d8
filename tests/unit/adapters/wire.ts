/**
 * A request handler for the real AWS SDK clients that sends nothing: it records each HTTP request
 * exactly as the SDK serialised it (method, path, query, headers, body) and answers with a canned
 * response, which the SDK's real deserialiser then parses. So a test sees the wire format AWS
 * would receive, and the errors the SDK would raise, without a network or an AWS account.
 */
import { Readable } from 'node:stream';

export interface WireRequest {
  method: string;
  path: string;
  query: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body: string;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A canned answer, or a function of the request (for paging), or an error to throw (network). */
export type Answer = CannedResponse | ((request: WireRequest) => CannedResponse) | Error;

interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

export class RecordingHandler {
  readonly requests: WireRequest[] = [];
  readonly #answers: Answer[];
  readonly metadata = { handlerProtocol: 'http/1.1' };

  /** Answers are used in order; the last one repeats. */
  constructor(...answers: Answer[]) {
    this.#answers = answers;
  }

  async handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Readable } }> {
    const recorded: WireRequest = {
      method: request.method,
      path: request.path,
      query: { ...(request.query ?? {}) },
      headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
      body: await bodyText(request.body),
    };
    this.requests.push(recorded);
    const answer = this.#answers[Math.min(this.requests.length - 1, this.#answers.length - 1)];
    if (answer === undefined) throw new Error('RecordingHandler has no answer configured');
    if (answer instanceof Error) throw answer;
    const canned = typeof answer === 'function' ? answer(recorded) : answer;
    return {
      response: {
        statusCode: canned.status,
        headers: canned.headers ?? {},
        body: Readable.from(canned.body === undefined ? [] : [Buffer.from(canned.body)]),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, unknown> {
    return {};
  }

  destroy(): void {}
}

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('utf8');
  }
  return String(body);
}

/** Credentials and region for clients that never leave the process. */
export const OFFLINE_CLIENT_CONFIG = {
  region: 'eu-west-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  // One attempt: the SDK's retries are the SDK's business; the test is about what comes after.
  maxAttempts: 1,
} as const;

/** A network-level failure, as Node reports it. */
export function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

export function xmlError(status: number, code: string, message: string): CannedResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>`,
  };
}
