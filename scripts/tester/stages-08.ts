import { amqpDecoder } from "../wire/amqp.js";
import { cutServerAtSeededMoment, expectDrained, publishToQueue } from "./amqp-checks.js";
import { CALCULATOR_CALLS, expectThat, type LessonStages } from "./stage.js";

/**
 * Lesson 8's work queue: calculator jobs {"method", "args"} as JSON on the durable queue
 * "calculator.jobs"; a worker takes each, runs it and acknowledges it after the work; a job it
 * cannot run is rejected (not requeued), so poison never loops.
 */
const QUEUE = "calculator.jobs";
const job = (method: string, args: unknown[]) => JSON.stringify({ method, args });

export const lesson: LessonStages = {
  title: "lesson 8, a worker on a RabbitMQ work queue",
  ready: "consumes",
  readyQueue: QUEUE,
  decoder: amqpDecoder,
  stages: [
    {
      name: 'takes the calculator jobs from "calculator.jobs" and acknowledges them',
      async run(ctx) {
        const jobs = Array.from({ length: 5 }, () =>
          CALCULATOR_CALLS.map((c) => job(c.method, c.args)),
        ).flat();
        await publishToQueue(ctx, QUEUE, jobs, {
          persistent: true,
          contentType: "application/json",
        });
        await expectDrained(ctx, QUEUE, `${jobs.length} jobs`);
      },
    },
    {
      name: "rejects poison jobs without requeueing them, and takes the next ones",
      async run(ctx) {
        await publishToQueue(
          ctx,
          QUEUE,
          ["not json", job("nosuch", []), '{"method": 1}', job("divide", [1, 0])],
          {
            persistent: true,
            contentType: "application/json",
          },
        );
        await publishToQueue(ctx, QUEUE, [job("add", [1, 2])], {
          persistent: true,
          contentType: "application/json",
        });
        await expectDrained(ctx, QUEUE, "poison jobs, then a good one");
        expectThat(ctx.server.alive(), "the worker to keep running", "it exited");
      },
    },
  ],
  faultStages: [
    {
      name: "under faults: no job is lost when the worker's broker connection is cut",
      async run(ctx) {
        const options = { persistent: true, contentType: "application/json" };
        await publishToQueue(
          ctx,
          QUEUE,
          Array.from({ length: 10 }, (_, i) => job("add", [i, 1])),
          options,
        );
        await cutServerAtSeededMoment(ctx);
        await publishToQueue(
          ctx,
          QUEUE,
          Array.from({ length: 10 }, (_, i) => job("multiply", [i, 2])),
          options,
        );
        // Jobs taken but not acknowledged when the connection died come back to the queue.
        await expectDrained(ctx, QUEUE, "20 jobs around a cut connection, the worker back", 60_000);
      },
    },
  ],
};
