import { Dealer } from "zeromq";
import {
  createEvent,
  decodeEvent,
  encodeEvent,
  messageIdKey,
  type ZeroRpcEvent,
} from "../../solutions/07-zeromq/events.js";
import { zmtpDecoder } from "../wire/zmtp.js";
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
 * zerorpc (protocol v3) over ZeroMQ: a DEALER sends ["", msgpack [header, name, args]] to the
 * server's ROUTER; the reply's header.response_to is the request's message_id; OK [result],
 * ERR [name, message, traceback]; _zpc_hb heartbeats may come between.
 */
const EMPTY = Buffer.alloc(0);
const REPLY_MS = 5000;

class ZeroRpcLink {
  readonly #dealer = new Dealer({ linger: 0 });
  readonly #replies = new Map<string, (event: ZeroRpcEvent) => void>();
  readonly #early = new Map<string, ZeroRpcEvent>();
  #sending: Promise<unknown> = Promise.resolve();

  constructor(ctx: { host: string; port: number }) {
    this.#dealer.connect(`tcp://${ctx.host}:${ctx.port}`);
    void this.#receive();
  }

  async #receive(): Promise<void> {
    try {
      for await (const frames of this.#dealer) {
        const event = (() => {
          try {
            return decodeEvent(frames[frames.length - 1]!);
          } catch {
            return undefined;
          }
        })();
        const to = event?.header.response_to;
        if (!event || to === undefined || event.name === "_zpc_hb") continue;
        const key = messageIdKey(to);
        const take = this.#replies.get(key);
        if (take) take(event);
        else this.#early.set(key, event);
      }
    } catch {
      // closed
    }
  }

  /** Sends raw frames, as a broken client would. */
  sendFrames(frames: Uint8Array[]): Promise<unknown> {
    this.#sending = this.#sending.then(() => this.#dealer.send(frames)).catch(() => {});
    return this.#sending;
  }

  /** Sends a call; resolves with its first reply event. */
  async call(name: string, args: unknown[]): Promise<ZeroRpcEvent> {
    const request = createEvent(name, args);
    const key = messageIdKey(request.header.message_id);
    const reply = new Promise<ZeroRpcEvent>((resolve, reject) => {
      const early = this.#early.get(key);
      if (early) return resolve(early);
      const timer = setTimeout(() => {
        this.#replies.delete(key);
        reject(
          new StageFailure(
            `a reply with response_to = the call's message_id, to ${name}(${args.map((a) => show(a)).join(", ")})`,
            `nothing within ${REPLY_MS} ms`,
          ),
        );
      }, REPLY_MS);
      this.#replies.set(key, (event) => {
        clearTimeout(timer);
        this.#replies.delete(key);
        resolve(event);
      });
    });
    await this.sendFrames([EMPTY, encodeEvent(request)]);
    return reply;
  }

  close(): void {
    this.#dealer.close();
  }
}

function expectOk(event: ZeroRpcEvent, what: string, result: unknown): void {
  if (event.name !== "OK") {
    throw new StageFailure(`OK [${show(result)}] for ${what}`, `${event.name} ${show(event.args)}`);
  }
  expectEqual(what, result, (event.args as unknown[])[0]);
}

async function withLink(
  ctx: { host: string; port: number },
  use: (link: ZeroRpcLink) => Promise<void>,
) {
  const link = new ZeroRpcLink(ctx);
  try {
    await use(link);
  } finally {
    link.close();
  }
}

async function expectServesNext(ctx: StageContext): Promise<void> {
  expectThat(ctx.server.alive(), "the server to keep running", "it exited");
  await withLink(ctx, async (link) =>
    expectOk(await link.call("add", [20, 22]), "add(20, 22) from a new client", 42),
  );
}

export const lesson: LessonStages = {
  title: "lesson 7, zerorpc over ZeroMQ",
  ready: "listens",
  decoder: zmtpDecoder,
  stages: [
    {
      name: "answers the calculator's calls with OK [result]",
      run: (ctx) =>
        withLink(ctx, async (link) => {
          for (const c of CALCULATOR_CALLS) {
            expectOk(
              await link.call(c.method, c.args),
              `${c.method}(${c.args.join(", ")})`,
              c.result,
            );
          }
          const hello = await link.call("hello", ["Ada"]);
          checkGreeting((hello.args as unknown[])?.[0], "Ada");
        }),
    },
    {
      name: "answers a division by zero and an unknown method with ERR [name, message, traceback]",
      run: (ctx) =>
        withLink(ctx, async (link) => {
          for (const [name, args] of [
            ["divide", [1, 0]],
            ["nosuch", []],
          ] as const) {
            const event = await link.call(name, [...args]);
            const what = `${name}(${args.join(", ")})`;
            expectEqual(`the reply's name for ${what}`, "ERR", event.name);
            const [errorName, message] = event.args as unknown[];
            expectThat(
              typeof errorName === "string" && typeof message === "string",
              `ERR args [name, message, traceback] of strings for ${what}`,
              show(event.args),
            );
          }
          expectOk(await link.call("add", [1, 1]), "add(1, 1) after the errors", 2);
        }),
    },
    {
      name: "answers 30 calls sent at once, each reply naming its call in response_to",
      run: (ctx) =>
        withLink(ctx, async (link) => {
          const replies = await Promise.all(
            Array.from({ length: 30 }, (_, i) => link.call("multiply", [i, 3])),
          );
          replies.forEach((event, i) => expectOk(event, `multiply(${i}, 3)`, i * 3));
        }),
    },
    {
      name: "drops garbage and stray heartbeats, survives, and serves the next call",
      run: (ctx) =>
        withLink(ctx, async (link) => {
          await link.sendFrames([EMPTY, Buffer.from("not msgpack at all")]);
          await link.sendFrames([EMPTY, Buffer.from([0x93, 0x01, 0x02, 0x03])]); // [1, 2, 3]
          await link.sendFrames([Buffer.from("no delimiter"), Buffer.from([0xc0])]);
          await link.sendFrames([
            EMPTY,
            encodeEvent({ header: { message_id: "x", v: 3 }, name: "add", args: "not an array" }),
          ]);
          // Chatter for channels that do not exist: a heartbeat, a stream's credit.
          for (const name of ["_zpc_hb", "_zpc_more"]) {
            const header = { message_id: `x${name}`, v: 3, response_to: "no-such-call" };
            await link.sendFrames([EMPTY, encodeEvent({ header, name, args: [1] })]);
          }
          expectOk(await link.call("add", [2, 2]), "add(2, 2) on the same socket after garbage", 4);
          await expectServesNext(ctx);
        }),
    },
  ],
  faultStages: [
    {
      name: "under faults: every reply that arrives is right, and the next call is served",
      run: (ctx) =>
        withLink(ctx, async (link) => {
          // Five rounds of four calls: ZeroMQ reconnects a dropped connection by itself, so a
          // round after a drop gets through; calls lost with a connection time out.
          let answered = 0;
          for (let round = 0; round < 5; round++) {
            const outcomes = await Promise.allSettled(
              [0, 1, 2, 3].map((i) => link.call("add", [round * 4 + i, 1])),
            );
            outcomes.forEach((o, i) => {
              if (o.status !== "fulfilled") return;
              expectOk(o.value, `add(${round * 4 + i}, 1)`, round * 4 + i + 1);
              answered++;
            });
          }
          ctx.note(`${answered} of 20 calls answered through the faults`);
          await expectServesNext({ ...ctx, ...ctx.direct });
        }),
    },
  ],
};
