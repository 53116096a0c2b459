import { describe, expect, it } from "vitest";
import { ConcurrencyLimit } from "./limiter.js";

/** Lets every pending promise callback run: no clock involved. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A task the test finishes by hand. */
function gate() {
  let open!: () => void;
  let fail!: (reason: Error) => void;
  const done = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
  return { done, open, fail };
}

describe("task 4: limit how many calls run at once", () => {
  it("runs a task and settles as it does", async () => {
    const limit = new ConcurrencyLimit(2);
    expect(await limit.run(() => 7), "the task's value").toBe(7);
    expect(await limit.run(async () => "later")).toBe("later");
    await expect(limit.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(limit.active, "every slot is free again").toBe(0);
  });

  it("starts at most max tasks, and queues the rest", async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [gate(), gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await settle();
    expect(started, "only two may run; the other three wait").toEqual([0, 1]);
    expect(limit.active).toBe(2);
    expect(limit.waiting).toBe(3);

    gates[1]!.open();
    await expect(runs[1]).resolves.toBe(1);
    await settle();
    expect(started, "a finished task lets the first waiting one start").toEqual([0, 1, 2]);
    expect(limit.active).toBe(2);
    expect(limit.waiting).toBe(2);

    for (const g of gates) g.open();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3, 4]);
    expect(started, "first come, first served").toEqual([0, 1, 2, 3, 4]);
    expect(limit.active).toBe(0);
    expect(limit.waiting).toBe(0);
  });

  it("lets no newcomer jump the line when a slot frees up", async () => {
    const limit = new ConcurrencyLimit(1);
    const started: string[] = [];
    const runs = [
      limit.run(() => void started.push("a")), // runs now, ends one tick later
      limit.run(() => void started.push("b")), // waits for a
    ];
    // c arrives in the tick right after a ends: before b has had a chance to wake up.
    queueMicrotask(() => void runs.push(limit.run(() => void started.push("c"))));
    await Promise.allSettled([...runs]);
    await Promise.all(runs);
    expect(started, "hand the freed slot to the waiting task, not to whoever comes next").toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(limit.active).toBe(0);
  });

  it("frees the slot of a task that fails", async () => {
    const limit = new ConcurrencyLimit(1);
    const failing = gate();
    const first = limit.run(() => failing.done);
    const second = limit.run(() => "second");
    failing.fail(new Error("boom"));
    await expect(first).rejects.toThrow("boom");
    await expect(second, "a failure must not keep its slot").resolves.toBe("second");
    expect(limit.active).toBe(0);
  });

  it("frees the slot of a task that throws before it returns a promise", async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(
      limit.run(() => {
        throw new TypeError("sync");
      }),
    ).rejects.toThrow("sync");
    await expect(limit.run(() => 7)).resolves.toBe(7);
  });

  it("gets through many tasks with a limit of one", async () => {
    const limit = new ConcurrencyLimit(1);
    let running = 0;
    const runs = Array.from({ length: 1000 }, (_, i) =>
      limit.run(async () => {
        running += 1;
        expect(running).toBe(1);
        await Promise.resolve();
        running -= 1;
        return i;
      }),
    );
    const results = await Promise.all(runs);
    expect(results[999]).toBe(999);
    expect(limit.waiting).toBe(0);
  });
});
