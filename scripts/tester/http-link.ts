import http from "node:http";
import { expectEqual, StageFailure, type Stage } from "./stage.js";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The connection had carried an earlier request: keep-alive worked. */
  reused: boolean;
  /** "1.1", or "1.0" for a server that closes after every reply by design. */
  httpVersion: string;
}

export interface HttpAsk {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  agent?: http.Agent;
  timeoutMs?: number;
}

/** One HTTP request through the tester's proxy, read to its end. */
export function httpAsk(ctx: { host: string; port: number }, ask: HttpAsk): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: ctx.host,
      port: ctx.port,
      method: ask.method ?? "POST",
      path: ask.path,
      headers: {
        ...(ask.body !== undefined ? { "content-length": Buffer.byteLength(ask.body) } : {}),
        ...ask.headers,
      },
      agent: ask.agent ?? false,
      timeout: ask.timeoutMs ?? 5000,
    });
    request.on("timeout", () =>
      request.destroy(new StageFailure("an HTTP reply within 5 s", "no reply")),
    );
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          reused: request.reusedSocket,
          httpVersion: response.httpVersion,
        }),
      );
    });
    request.end(ask.body);
  });
}

/** The body as JSON, or a StageFailure that quotes it. */
export function jsonOf(answer: HttpAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new StageFailure(
      `a JSON body in the reply to ${what}`,
      `${answer.status} ${JSON.stringify(answer.body.slice(0, 120))}`,
    );
  }
}

/** A keep-alive agent with one socket: the second request must reuse the first's connection. */
export function oneSocketAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 1 });
}

/**
 * Two calls through a one-socket keep-alive agent: the second must reuse the connection,
 * unless the server speaks HTTP/1.0 or says Connection: close, which is a choice, not a bug.
 */
export async function checkKeepAlive(
  ask: (agent: http.Agent) => Promise<HttpAnswer>,
  note: (line: string) => void,
): Promise<void> {
  const agent = oneSocketAgent();
  try {
    const first = await ask(agent);
    const second = await ask(agent);
    const closes = first.httpVersion === "1.0" || /close/i.test(String(first.headers.connection));
    if (closes) {
      note(
        `the server answers HTTP/${first.httpVersion}, Connection: ${first.headers.connection ?? "—"}: no keep-alive to check`,
      );
      return;
    }
    if (!second.reused) {
      throw new StageFailure(
        "the second call on the first call's connection (HTTP/1.1 keep-alive)",
        "a new connection, though the first reply did not say Connection: close",
        "read each request to its end and keep the connection open for the next",
      );
    }
  } finally {
    agent.destroy();
  }
}

/**
 * The fault stage of the HTTP lessons: calls through a network that cuts, delays and drops.
 * A call may fail with its connection; one that is answered must be answered right, and the
 * server must serve the next call once the network is sound again.
 */
export function httpFaultStage(
  call: (ctx: { host: string; port: number }, i: number) => Promise<unknown>,
  expected: (i: number) => unknown,
): Stage {
  return {
    name: "under faults: every answer that arrives is right, and the next call is served",
    async run(ctx) {
      let answered = 0;
      for (let i = 0; i < 16; i++) {
        let got: unknown;
        try {
          got = await call(ctx, i);
        } catch (error) {
          if (error instanceof StageFailure) throw error;
          continue; // the connection dropped: this call is lost, and its caller knows
        }
        expectEqual(`call ${i} through the faults`, expected(i), got);
        answered++;
      }
      ctx.note(`${answered} of 16 calls answered through the faults`);
      expectEqual("the call after the faults", expected(99), await call(ctx.direct, 99));
    },
  };
}
