import { client03 } from "./client-03.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import {
  decodeReply,
  encodeCall,
  type Reply,
} from "../../solutions/02-call-id-and-serialization/messages.js";
import { encodeFrame, FrameDecoder, type Frame } from "../../solutions/03-raw-tcp/framing.js";
import { calculator } from "../../shared/calculator.js";
import { framesDecoder } from "../wire/frames.js";
import {
  CALCULATOR_CALLS,
  checkGreeting,
  expectEqual,
  expectThat,
  sameValue,
  show,
  StageFailure,
  type LessonStages,
  type StageContext,
} from "./stage.js";
import { sleep, TcpLink } from "./tcp-link.js";

/**
 * Lesson 3's wire: frames of u32 length, u32 request ID, then lesson 2's call or reply. Call
 * IDs number the calculator's functions in alphabetical order (add 1, divide 2, hello 3,
 * multiply 4, subtract 5), the numbering `Registry.fromService` gives.
 */
const registry = Registry.fromService(calculator);
const REPLY_MS = 5000;

export function callFrame(requestId: number, method: string, args: unknown[]): Uint8Array {
  return encodeFrame(requestId, encodeCall({ callId: registry.byName(method).id, args }));
}

type Link = TcpLink<Frame>;

export function openFrames(ctx: { host: string; port: number }): Promise<Link> {
  const decoder = new FrameDecoder();
  return TcpLink.open(ctx.host, ctx.port, (chunk) => decoder.push(chunk));
}

function replyOf(frame: Frame | undefined, what: string): Reply {
  if (!frame) throw new StageFailure(`a reply to ${what}`, "the server closed the connection");
  try {
    return decodeReply(frame.body);
  } catch (error) {
    throw new StageFailure(`a reply (lesson 2's format) to ${what}`, (error as Error).message);
  }
}

async function call(link: Link, requestId: number, method: string, args: unknown[]) {
  const what = `${method}(${args.map((a) => show(a)).join(", ")})`;
  await link.write(callFrame(requestId, method, args));
  const frame = await link.next(REPLY_MS);
  return { frame, reply: replyOf(frame, what), what };
}

function expectResult(reply: Reply, what: string, result: unknown): void {
  if (!reply.ok) {
    throw new StageFailure(
      `${what} = ${show(result)}`,
      `error ${reply.error.code} ${reply.error.name}: ${reply.error.message}`,
    );
  }
  expectEqual(what, result, reply.result);
}

/** The server is still running and serves a new connection. */
export async function expectServesNext(ctx: StageContext): Promise<void> {
  expectThat(ctx.server.alive(), "the server to keep running", "it exited", "look at its output");
  const link = await openFrames(ctx).catch((error: Error) => {
    throw new StageFailure("the next client to connect", error.message);
  });
  try {
    const { reply, what } = await call(link, 9, "add", [20, 22]);
    expectResult(reply, `${what} on the next connection`, 42);
  } finally {
    link.close();
  }
}

async function sendAndExpectClose(ctx: StageContext, bytes: Uint8Array | string, what: string) {
  const link = await openFrames(ctx);
  try {
    await link.write(bytes);
    const answer = await link.next(REPLY_MS).catch(() => "silence");
    expectThat(
      answer === undefined || link.isClosed,
      `the server to close a connection that sends ${what}`,
      answer === "silence" ? "the connection stayed open" : "a reply, and the connection open",
      "the stream cannot be trusted after a bad header: close that connection",
    );
  } finally {
    link.close();
  }
}

export const lesson: LessonStages = {
  client: client03,
  title: "lesson 3, raw TCP frames",
  ready: "listens",
  decoder: framesDecoder,
  stages: [
    {
      name: "answers add, subtract, multiply, divide and hello",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          let id = 1;
          for (const c of CALCULATOR_CALLS) {
            const { reply, what } = await call(link, id++, c.method, c.args);
            expectResult(reply, what, c.result);
          }
          const { reply } = await call(link, id, "hello", ["Ada"]);
          checkGreeting(reply.ok ? reply.result : reply.error, "Ada");
        } finally {
          link.close();
        }
      },
    },
    {
      name: "carries a division by zero back as an error reply",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          const { reply } = await call(link, 1, "divide", [1, 0]);
          expectThat(
            !reply.ok,
            "divide(1, 0) to get an error reply (kind 0x03)",
            reply.ok ? `a result, ${show(reply.result)}` : "",
          );
          const next = await call(link, 2, "add", [1, 1]);
          expectResult(next.reply, "add(1, 1) after the error, on the same connection", 2);
        } finally {
          link.close();
        }
      },
    },
    {
      name: "echoes each request id in its reply",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          for (const id of [7, 0, 0xffffffff, 123456]) {
            const { frame } = await call(link, id, "add", [id % 10, 1]);
            expectEqual("the reply's request id", id, frame!.requestId, "copy it from the call");
          }
        } finally {
          link.close();
        }
      },
    },
    {
      name: "reads a frame split at every byte boundary",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          const frame = callFrame(1, "add", [2, 3]);
          for (let cut = 1; cut < frame.length; cut++) {
            await link.write(frame.subarray(0, cut));
            await sleep(2); // two writes, most likely two reads: the split TCP makes
            await link.write(frame.subarray(cut));
            const reply = replyOf(await link.next(REPLY_MS), `add(2, 3) split at byte ${cut}`);
            expectResult(reply, `add(2, 3) split at byte ${cut}`, 5);
          }
          for (const byte of frame) {
            await link.write(Uint8Array.of(byte));
            await sleep(1);
          }
          expectResult(
            replyOf(await link.next(REPLY_MS), "add(2, 3)"),
            "add(2, 3) byte by byte",
            5,
          );
        } finally {
          link.close();
        }
      },
    },
    {
      name: "answers three calls pipelined in one write",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          await link.write(
            Buffer.concat([
              callFrame(1, "add", [1, 1]),
              callFrame(2, "add", [2, 2]),
              callFrame(3, "add", [3, 3]),
            ]),
          );
          const got = new Map<number, unknown>();
          for (let i = 0; i < 3; i++) {
            const frame = await link.next(REPLY_MS);
            const reply = replyOf(frame, `call ${i + 1} of 3 sent in one write`);
            got.set(frame!.requestId, reply.ok ? reply.result : reply.error);
          }
          expectEqual(
            "the replies by request id",
            [2, 4, 6],
            [1, 2, 3].map((i) => got.get(i)),
          );
        } finally {
          link.close();
        }
      },
    },
    {
      name: "answers 50 pipelined calls, each reply matched by its request id",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          const calls = Array.from({ length: 50 }, (_, i) => ({
            id: 1000 + i * 7,
            args: [i, i * 2],
            result: i * 3,
          }));
          // Every call is written before any reply is read.
          await link.write(Buffer.concat(calls.map((c) => callFrame(c.id, "add", c.args))));
          const got = new Map<number, unknown>();
          for (const _ of calls) {
            const frame = await link.next(REPLY_MS).catch(() => undefined);
            if (!frame) break;
            const reply = replyOf(frame, "a pipelined add");
            got.set(frame.requestId, reply.ok ? reply.result : reply.error);
          }
          expectThat(
            got.size === calls.length,
            `${calls.length} replies to ${calls.length} calls sent at once`,
            `${got.size} replies`,
            "read every frame of a chunk, and keep reading while calls run",
          );
          for (const c of calls) {
            expectThat(
              sameValue(got.get(c.id), c.result),
              `request ${c.id}: add(${c.args.join(", ")}) = ${c.result}`,
              got.has(c.id) ? show(got.get(c.id)) : "no reply with that id",
              "each reply carries the id of its own call",
            );
          }
        } finally {
          link.close();
        }
      },
    },
    {
      name: "closes a connection that sends garbage, and serves the next client",
      async run(ctx) {
        await sendAndExpectClose(ctx, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", "an HTTP request");
        await expectServesNext(ctx);
      },
    },
    {
      name: "refuses an oversized frame from its header alone, and serves the next client",
      async run(ctx) {
        const header = Buffer.alloc(8);
        header.writeUInt32BE(0xffffffff, 0);
        header.writeUInt32BE(1, 4);
        await sendAndExpectClose(ctx, header, "a header announcing 4 GiB");
        await expectServesNext(ctx);
      },
    },
    {
      name: "answers a call that is not a call with an error or a close, and serves the next",
      async run(ctx) {
        const link = await openFrames(ctx);
        try {
          await link.write(encodeFrame(5, Uint8Array.of(0x7f, 1, 2, 3)));
          const frame = await link.next(REPLY_MS).catch(() => undefined);
          if (frame) {
            const reply = replyOf(frame, "a body of kind 0x7f");
            expectThat(!reply.ok, "an error reply to a body of kind 0x7f", show(reply));
          }
        } finally {
          link.close();
        }
        await expectServesNext(ctx);
      },
    },
    {
      name: "serves the next client after one leaves in the middle of a frame",
      async run(ctx) {
        const link = await openFrames(ctx);
        await link.write(callFrame(1, "add", [1, 2]).subarray(0, 11));
        link.close();
        await sleep(20);
        await expectServesNext(ctx);
      },
    },
  ],
  faultStages: [
    {
      name: "under faults: every reply that arrives is right, and drops lose only their calls",
      async run(ctx) {
        let served = 0;
        for (let round = 0; round < 12; round++) {
          const link = await openFrames(ctx);
          try {
            const calls = [1, 2, 3, 4].map((i) => ({ id: round * 10 + i, a: round, b: i }));
            await link.write(Buffer.concat(calls.map((c) => callFrame(c.id, "add", [c.a, c.b]))));
            for (const _ of calls) {
              const frame = await link.next(REPLY_MS);
              if (!frame) break; // dropped: the calls in flight are lost, never answered wrong
              const c = calls.find((x) => x.id === frame.requestId);
              expectThat(
                c !== undefined,
                "replies only to calls sent",
                `request ${frame.requestId}`,
              );
              expectResult(
                replyOf(frame, "add"),
                `request ${c!.id}: add(${c!.a}, ${c!.b})`,
                c!.a + c!.b,
              );
              served++;
            }
          } finally {
            link.close();
          }
        }
        ctx.note(`${served} of 48 calls answered through the faults`);
        await expectServesNext({ ...ctx, ...ctx.direct });
      },
    },
  ],
};
