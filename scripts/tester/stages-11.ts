import { client11 } from "./client-11.js";
import http2 from "node:http2";
import { encodeGrpcMessage, GrpcMessageDecoder } from "../../solutions/11-grpc/grpc-framing.js";
import {
  decodeMessage,
  encodeMessage,
  Greeting,
  Name,
  NumberMessage,
  Pair,
  Range,
  type Schema,
} from "../../solutions/11-grpc/messages.js";
import { grpcTranscriptDecoder } from "./h2-summary.js";
import {
  CALCULATOR_CALLS,
  checkGreeting,
  expectEqual,
  expectThat,
  show,
  StageFailure,
  type LessonStages,
  type StageContext,
} from "./stage.js";

/**
 * gRPC over HTTP/2 cleartext (grpc.io/docs/…/PROTOCOL-HTTP2): POST /calc.Calculator/<Method>
 * with content-type application/grpc, messages behind a 5-byte prefix (compressed flag, u32
 * length), the outcome in the trailers' grpc-status and grpc-message. The service is
 * solutions/11-grpc/calculator.proto.
 */
const SERVICE = "/calc.Calculator";
const REPLY_MS = 5000;

interface GrpcOutcome {
  httpStatus: number;
  status: number | undefined;
  message: string;
  replies: Uint8Array[];
  reset?: string;
}

function connectH2(ctx: { host: string; port: number }): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://${ctx.host}:${ctx.port}`);
    session.once("connect", () => resolve(session));
    session.once("error", reject);
  });
}

/** One call with raw bodies: each request written as given (already prefixed, or not). */
function grpcCall(
  session: http2.ClientHttp2Session,
  method: string,
  bodies: Uint8Array[],
  headers: Record<string, string> = {},
): Promise<GrpcOutcome> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": `${SERVICE}/${method}`,
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    const outcome: GrpcOutcome = { httpStatus: 0, status: undefined, message: "", replies: [] };
    const decoder = new GrpcMessageDecoder(64 * 1024 * 1024);
    const timer = setTimeout(() => {
      stream.close(http2.constants.NGHTTP2_CANCEL);
      reject(new StageFailure(`a gRPC status for ${method} within ${REPLY_MS} ms`, "nothing"));
    }, REPLY_MS);
    const status = (h: http2.IncomingHttpHeaders) => {
      if (h["grpc-status"] !== undefined) {
        outcome.status = Number(h["grpc-status"]);
        outcome.message = decodeURIComponent(String(h["grpc-message"] ?? ""));
      }
    };
    stream.on("response", (h) => {
      outcome.httpStatus = Number(h[":status"]);
      status(h); // a trailers-only reply carries the status in the headers
    });
    stream.on("trailers", status);
    stream.on("data", (chunk: Buffer) => {
      try {
        outcome.replies.push(...decoder.push(chunk));
      } catch (error) {
        outcome.message = `unreadable reply: ${(error as Error).message}`;
      }
    });
    stream.on("error", (error) => (outcome.reset = error.message));
    stream.on("close", () => {
      clearTimeout(timer);
      if (outcome.reset === undefined && stream.rstCode && stream.rstCode !== 0) {
        outcome.reset = `stream reset with code ${stream.rstCode}`;
      }
      resolve(outcome);
    });
    for (const body of bodies) stream.write(body);
    stream.end();
  });
}

function message<S extends Schema>(schema: S, value: Parameters<typeof encodeMessage<S>>[1]) {
  return encodeGrpcMessage(encodeMessage(schema, value));
}

function expectOk(outcome: GrpcOutcome, what: string): void {
  expectThat(
    outcome.status === 0,
    `grpc-status 0 (OK) for ${what}`,
    outcome.reset ?? `grpc-status ${outcome.status ?? "missing"} ${outcome.message}`,
  );
}

function valueOf(outcome: GrpcOutcome, what: string): number {
  expectOk(outcome, what);
  expectEqual(`reply messages to ${what}`, 1, outcome.replies.length);
  return decodeMessage(NumberMessage, outcome.replies[0]!).value;
}

async function withSession(
  ctx: { host: string; port: number },
  use: (s: http2.ClientHttp2Session) => Promise<void>,
) {
  const session = await connectH2(ctx);
  session.on("error", () => {});
  try {
    await use(session);
  } finally {
    session.destroy();
  }
}

async function expectServesNext(ctx: StageContext): Promise<void> {
  expectThat(ctx.server.alive(), "the server to keep running", "it exited");
  await withSession(ctx, async (session) => {
    const outcome = await grpcCall(session, "Add", [message(Pair, { a: 20, b: 22 })]);
    expectEqual("Add(20, 22) on a new connection", 42, valueOf(outcome, "Add(20, 22)"));
  });
}

const capital = (name: string) => name[0]!.toUpperCase() + name.slice(1);

export const lesson: LessonStages = {
  client: client11,
  title: "lesson 11, gRPC over HTTP/2",
  ready: "listens",
  decoder: grpcTranscriptDecoder,
  stages: [
    {
      name: "answers the calculator's unary calls with grpc-status 0",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          for (const c of CALCULATOR_CALLS) {
            const [a, b] = c.args as number[];
            const what = `${capital(c.method)}(${a}, ${b})`;
            const outcome = await grpcCall(session, capital(c.method), [
              message(Pair, { a: a!, b: b! }),
            ]);
            expectEqual(what, c.result, valueOf(outcome, what));
          }
          const hello = await grpcCall(session, "Hello", [message(Name, { name: "Ada" })]);
          expectOk(hello, "Hello");
          checkGreeting(
            decodeMessage(Greeting, hello.replies[0] ?? new Uint8Array()).message,
            "Ada",
          );
        }),
    },
    {
      name: "ends a division by zero with an error status, and an unknown method with UNIMPLEMENTED",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          const zero = await grpcCall(session, "Divide", [message(Pair, { a: 1, b: 0 })]);
          expectThat(
            zero.status !== undefined && zero.status !== 0,
            "a grpc-status other than 0 for Divide(1, 0)",
            zero.reset ?? `grpc-status ${zero.status ?? "missing"}`,
          );
          const missing = await grpcCall(session, "NoSuchMethod", [message(Pair, { a: 1, b: 2 })]);
          expectEqual("grpc-status for an unknown method (UNIMPLEMENTED)", 12, missing.status);
        }),
    },
    {
      name: "streams replies (StreamingRange) and reads a stream of requests (Sum)",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          const range = await grpcCall(session, "StreamingRange", [
            message(Range, { from: 0n, to: 5n, step: 1n }),
          ]);
          expectOk(range, "StreamingRange(0, 5, 1)");
          const values = range.replies.map((r) => decodeMessage(NumberMessage, r).value);
          expectEqual("the messages of StreamingRange(0, 5, 1)", [0, 1, 2, 3, 4], values);
          const sum = await grpcCall(
            session,
            "Sum",
            [1, 2, 3.5].map((value) => message(NumberMessage, { value })),
          );
          expectEqual("Sum of a stream 1, 2, 3.5", 6.5, valueOf(sum, "Sum"));
        }),
    },
    {
      name: "answers 30 calls multiplexed on one connection",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          const outcomes = await Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              grpcCall(session, "Multiply", [message(Pair, { a: i, b: 3 })]),
            ),
          );
          outcomes.forEach((o, i) =>
            expectEqual(`Multiply(${i}, 3)`, i * 3, valueOf(o, `Multiply(${i}, 3)`)),
          );
        }),
    },
    {
      name: "honours a grpc-timeout deadline header on a call that finishes in time",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          const outcome = await grpcCall(session, "Add", [message(Pair, { a: 1, b: 2 })], {
            "grpc-timeout": "5S",
          });
          expectEqual("Add(1, 2) with grpc-timeout: 5S", 3, valueOf(outcome, "Add(1, 2)"));
        }),
    },
    {
      name: "ends bad messages with a status, never a crash, and serves the next call",
      run: (ctx) =>
        withSession(ctx, async (session) => {
          const bad: [string, Uint8Array][] = [
            [
              "a message cut short by the end of the stream",
              message(Pair, { a: 1, b: 2 }).subarray(0, 8),
            ],
            [
              "a prefix that says compressed, with no grpc-encoding",
              Uint8Array.of(1, 0, 0, 0, 1, 0),
            ],
            ["bytes that are not protobuf", Uint8Array.of(0, 0, 0, 0, 3, 0xff, 0xff, 0xff)],
            ["a prefix announcing 4 GiB", Uint8Array.of(0, 0xff, 0xff, 0xff, 0xff)],
          ];
          for (const [what, body] of bad) {
            const outcome = await grpcCall(session, "Add", [body]);
            expectThat(
              (outcome.status !== undefined && outcome.status !== 0) || outcome.reset !== undefined,
              `an error status (or a reset stream) for ${what}`,
              `grpc-status ${outcome.status ?? "missing"}${outcome.replies.length ? `, ${outcome.replies.length} replies` : ""}`,
            );
          }
        }).then(() => expectServesNext(ctx)),
    },
  ],
  faultStages: [
    {
      name: "under faults: every reply that arrives is right, and the next call is served",
      async run(ctx) {
        let answered = 0;
        for (let round = 0; round < 6; round++) {
          await withSession(ctx, async (session) => {
            const outcomes = await Promise.all(
              [1, 2, 3].map((i) =>
                grpcCall(session, "Add", [message(Pair, { a: round, b: i })]).catch(
                  () => undefined,
                ),
              ),
            );
            outcomes.forEach((o, i) => {
              if (o?.status !== 0) return; // lost with its connection
              expectEqual(`Add(${round}, ${i + 1})`, round + i + 1, valueOf(o, "Add"));
              answered++;
            });
          }).catch((error: unknown) => {
            if (error instanceof StageFailure) throw error;
          });
        }
        ctx.note(`${answered} of 18 calls answered through the faults`);
        await expectServesNext({ ...ctx, ...ctx.direct });
      },
    },
  ],
};
