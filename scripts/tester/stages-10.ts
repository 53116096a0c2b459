import { Notifier } from "../../solutions/10-notifications/notifier.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { amqpDecoder } from "../wire/amqp.js";
import { cutServerAtSeededMoment, expectDrained, publishToQueue } from "./amqp-checks.js";
import { expectThat, type LessonStages, type StageContext } from "./stage.js";

/**
 * oslo.messaging notifications: a notifier publishes {"oslo.version": "2.0", "oslo.message":
 * "<json>"} with event_type, publisher_id, priority, payload and timestamp to the topic exchange
 * "openstack", routing key "notifications.<priority>"; a listener consumes the queue of each
 * priority it handles. The tester is the notifier; the server listens to info and error.
 */
async function withNotifier(ctx: StageContext, use: (notifier: Notifier) => Promise<void>) {
  const transport = await Transport.connect(ctx.amqpUrl!.replace(/^amqp:/, "rabbit:"), {
    log: () => {},
  });
  try {
    await use(new Notifier(transport, { publisherId: "calculator.tester" }));
  } finally {
    await transport.close();
  }
}

export const lesson: LessonStages = {
  title: "lesson 10, oslo.messaging notifications",
  ready: "consumes",
  readyQueue: "notifications.info",
  decoder: amqpDecoder,
  stages: [
    {
      name: "takes info notifications from notifications.info",
      run: (ctx) =>
        withNotifier(ctx, async (notifier) => {
          for (let i = 0; i < 10; i++) {
            await notifier.info({}, "calculator.add", { a: i, b: 1, result: i + 1 });
          }
          await expectDrained(ctx, "notifications.info", "10 info notifications");
        }),
    },
    {
      name: "takes error notifications from notifications.error: priorities route to their topics",
      run: (ctx) =>
        withNotifier(ctx, async (notifier) => {
          for (let i = 0; i < 5; i++) {
            await notifier.error({}, "calculator.divide", {
              a: i,
              b: 0,
              error: "division by zero",
            });
          }
          await expectDrained(ctx, "notifications.error", "5 error notifications");
        }),
    },
    {
      name: "drops poison notifications without dying, and takes the next ones",
      async run(ctx) {
        await publishToQueue(ctx, "notifications.info", [
          "not json at all",
          '{"oslo.version": "2.0", "oslo.message": "{broken"}',
          '{"oslo.version": "2.0", "oslo.message": "[1, 2, 3]"}',
        ]);
        await withNotifier(ctx, (notifier) =>
          notifier.info({}, "calculator.add", { a: 1, b: 2, result: 3 }),
        );
        await expectDrained(ctx, "notifications.info", "poison and a good notification");
        expectThat(ctx.server.alive(), "the listener to keep running", "it exited");
      },
    },
  ],
  faultStages: [
    {
      name: "under faults: the listener comes back after its broker connection is cut, and takes every notification",
      run: (ctx) =>
        withNotifier(ctx, async (notifier) => {
          for (let i = 0; i < 5; i++) await notifier.info({}, "calculator.add", { a: i, b: 1 });
          await cutServerAtSeededMoment(ctx);
          for (let i = 0; i < 5; i++) await notifier.info({}, "calculator.add", { a: i, b: 2 });
          await expectDrained(
            ctx,
            "notifications.info",
            "notifications around a cut connection",
            60_000,
          );
        }),
    },
  ],
};
