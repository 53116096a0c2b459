import { describe, expect, it } from "vitest";
import { Executor } from "./executor.js";
import { gate } from "./harness.js";

describe("task 4: limit concurrency with an executor", () => {
  it("runs at most `concurrency` tasks at once, and the rest as slots free up", async () => {
    const executor = new Executor(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    gates.forEach((g, i) =>
      executor.submit(async () => {
        started.push(i);
        await g.promise;
      }),
    );
    await Promise.resolve();
    expect(started, "only two may run at once").toEqual([0, 1]);
    expect(executor.pending).toBe(4);
    gates[1]!.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started, "a finished task frees its slot for the next one").toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await executor.idle();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(executor.pending).toBe(0);
    // The limit is lesson 5's, and so is its refusal of a concurrency that is not a whole number.
    expect(() => new Executor(0)).toThrow(RangeError);
    expect(() => new Executor(1.5)).toThrow(RangeError);
  });

  it("resolves idle() only once every task has finished", async () => {
    const executor = new Executor(3);
    const g = gate();
    let finished = false;
    executor.submit(async () => {
      await g.promise;
      finished = true;
    });
    const idle = executor.idle().then(() => finished);
    g.open();
    await expect(idle, "idle() must wait for the task").resolves.toBe(true);
    await expect(executor.idle(), "with nothing to do, idle() resolves at once").resolves.toBe(
      undefined,
    );
  });

  it("keeps going when a task fails", async () => {
    const executor = new Executor(1);
    const ran: string[] = [];
    executor.submit(async () => {
      throw new Error("boom");
    });
    executor.submit(async () => void ran.push("second"));
    await executor.idle();
    expect(ran).toEqual(["second"]);
  });
});
