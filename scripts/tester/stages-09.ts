import amqp from "amqplib";
import { RpcClient } from "../../solutions/09-amqp-rpc/rpc-client.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { amqpDecoder } from "../wire/amqp.js";
import { cutServerAtSeededMoment } from "./amqp-checks.js";
import {
  CALCULATOR_CALLS,
  checkGreeting,
  describeError,
  expectEqual,
  expectThat,
  StageFailure,
  type LessonStages,
  type StageContext,
} from "./stage.js";

/**
 * oslo.messaging's RPC on RabbitMQ (its rabbit driver's wire): a call is published to the
 * topic exchange "openstack" with routing key "calc", as {"oslo.version": "2.0",
 * "oslo.message": "<json>"} naming the method, its args by name, a _msg_id and a _reply_q;
 * the reply comes back on that queue. The server consumes the queue "calc".
 */
const TOPIC = "calc";
const CALL_MS = 10_000;

const NAMES: Record<string, string[]> = {
  add: ["a", "b"],
  subtract: ["a", "b"],
  multiply: ["a", "b"],
  divide: ["a", "b"],
};

async function withClient(ctx: StageContext, use: (client: RpcClient) => Promise<void>) {
  const transport = await Transport.connect(ctx.amqpUrl!.replace(/^amqp:/, "rabbit:"), {
    log: () => {},
  });
  const client = new RpcClient(transport, { topic: TOPIC }, { timeoutMs: CALL_MS });
  try {
    await use(client);
  } finally {
    await client.close();
    await transport.close();
  }
}

async function expectCall(
  client: RpcClient,
  method: string,
  args: Record<string, unknown>,
  result: unknown,
) {
  const what = `${method}(${Object.entries(args)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(", ")})`;
  const got = await client.call({}, method, args).catch((error: unknown) => {
    throw new StageFailure(`${what} = ${JSON.stringify(result)}`, describeError(error));
  });
  expectEqual(what, result, got);
}

async function expectRemoteError(
  client: RpcClient,
  method: string,
  args: Record<string, unknown>,
  what: string,
) {
  const outcome = await client.call({}, method, args).then(
    (value) => ({ value }),
    (error: { code?: string; message?: string }) => ({ error }),
  );
  expectThat(
    "error" in outcome,
    `a remote error for ${what}`,
    `a result, ${JSON.stringify((outcome as { value: unknown }).value)}`,
  );
  const error = (outcome as { error: { code?: string; message?: string } }).error;
  expectThat(
    error.code !== "deadline_exceeded",
    `a failure reply for ${what}`,
    "no reply before the deadline",
    "an exception in a method is sent back as a failure, never swallowed",
  );
}

/** Publishes bytes straight to the server's queue, as a broken or foreign client would. */
async function publishRaw(ctx: StageContext, bodies: Buffer[]): Promise<void> {
  const connection = await amqp.connect(ctx.amqpUrl!);
  connection.on("error", () => {});
  try {
    const channel = await connection.createConfirmChannel();
    for (const body of bodies)
      channel.sendToQueue(TOPIC, body, { contentType: "application/json" });
    await channel.waitForConfirms();
  } finally {
    await connection.close().catch(() => {});
  }
}

export const lesson: LessonStages = {
  title: "lesson 9, oslo.messaging RPC on RabbitMQ",
  ready: "consumes",
  readyQueue: TOPIC,
  decoder: amqpDecoder,
  stages: [
    {
      name: 'answers calls on the topic "calc", arguments by name',
      run: (ctx) =>
        withClient(ctx, async (client) => {
          for (const c of CALCULATOR_CALLS) {
            const [a, b] = c.args;
            await expectCall(
              client,
              c.method,
              { [NAMES[c.method]![0]!]: a, [NAMES[c.method]![1]!]: b },
              c.result,
            );
          }
          checkGreeting(await client.call({}, "hello", { name: "Ada" }), "Ada");
        }),
    },
    {
      name: "sends a division by zero and an unknown method back as failures",
      run: (ctx) =>
        withClient(ctx, async (client) => {
          await expectRemoteError(client, "divide", { a: 1, b: 0 }, "divide(a=1, b=0)");
          await expectRemoteError(client, "nosuch", {}, "an unknown method");
          await expectCall(client, "add", { a: 1, b: 1 }, 2);
        }),
    },
    {
      name: "runs a cast without a reply, and answers the next call",
      run: (ctx) =>
        withClient(ctx, async (client) => {
          await client.cast({}, "add", { a: 1, b: 2 });
          await expectCall(client, "add", { a: 2, b: 2 }, 4);
        }),
    },
    {
      name: "answers 20 calls in flight at once, each reply to its own call",
      run: (ctx) =>
        withClient(ctx, async (client) => {
          await Promise.all(
            Array.from({ length: 20 }, (_, i) =>
              expectCall(client, "multiply", { a: i, b: 3 }, i * 3),
            ),
          );
        }),
    },
    {
      name: "drops poison messages without dying, and answers the next call",
      async run(ctx) {
        await publishRaw(ctx, [
          Buffer.from("not json at all"),
          Buffer.from('{"oslo.version": "2.0", "oslo.message": "{broken"}'),
          Buffer.from('{"oslo.version": "2.0", "oslo.message": "{\\"method\\": 42}"}'),
        ]);
        expectThat(ctx.server.alive(), "the server to keep running", "it exited");
        await withClient(ctx, (client) => expectCall(client, "add", { a: 20, b: 22 }, 42));
      },
    },
  ],
  faultStages: [
    {
      name: "under faults: no wrong answer, and the server answers again after its broker connection is cut",
      run: (ctx) =>
        withClient(ctx, async (client) => {
          for (let i = 0; i < 5; i++) await expectCall(client, "add", { a: i, b: 1 }, i + 1);
          await cutServerAtSeededMoment(ctx);
          // A call in flight at the cut may be lost (its sender is told: a timeout); every
          // answer that comes must be right, and the server must come back.
          const deadline = Date.now() + 60_000;
          let answered = 0;
          for (let i = 0; answered < 3; i++) {
            expectThat(
              Date.now() < deadline,
              "the server to answer again within 60 s of the cut",
              `${answered} answers`,
            );
            const got = await client.call({}, "multiply", { a: i, b: 3 }, { timeoutMs: 3000 }).then(
              (value) => ({ value }),
              () => undefined,
            );
            if (!got) continue;
            expectEqual(`multiply(a=${i}, b=3) after the cut`, i * 3, got.value);
            answered++;
          }
        }),
    },
  ],
};
