import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { PendingCalls } from "./pending-calls.js";

describe("task 3: calls waiting by request ID", () => {
  it("settles the call waiting under the ID that came back", async () => {
    const pending = new PendingCalls();
    const one = pending.wait(1);
    const two = pending.wait(2);
    expect(pending.size).toBe(2);
    expect(pending.resolve(2, "two")).toBe(true);
    expect(pending.resolve(1, "one")).toBe(true);
    await expect(one, "each reply reaches the call with its ID").resolves.toBe("one");
    await expect(two).resolves.toBe("two");
    expect(pending.size, "a settled call is forgotten").toBe(0);
  });

  it("rejects one call with the error its reply carried", async () => {
    const pending = new PendingCalls();
    const call = pending.wait(1);
    pending.reject(1, new RpcError("remote_error", "division by zero"));
    await expect(call).rejects.toMatchObject({ code: "remote_error" });
  });

  it("ignores a reply for an ID nobody waits for", () => {
    const pending = new PendingCalls();
    expect(pending.resolve(41, "late"), "report false, do not throw").toBe(false);
    expect(pending.reject(41, new RpcError("internal", "x"))).toBe(false);
  });

  it("refuses to wait twice under the same ID", () => {
    const pending = new PendingCalls();
    void pending.wait(1);
    expect(() => pending.wait(1)).toThrow(/1/);
    pending.resolve(1, null);
  });

  it("gives up after timeoutMs with deadline_exceeded, and forgets the call", async () => {
    const pending = new PendingCalls();
    const call = pending.wait(1, { timeoutMs: 5 });
    await expect(call).rejects.toMatchObject({ code: "deadline_exceeded" });
    expect(pending.size).toBe(0);
    expect(pending.resolve(1, "too late"), "a late reply finds nobody waiting").toBe(false);
  });

  it("stops waiting with canceled when the signal aborts, even before the call", async () => {
    const pending = new PendingCalls();
    const controller = new AbortController();
    const call = pending.wait(1, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: "canceled" });
    await expect(pending.wait(2, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: "canceled",
    });
    expect(pending.size).toBe(0);
  });

  it("treats timeoutMs: Infinity as no deadline and caps a huge one (watchCall)", async () => {
    const pending = new PendingCalls();
    const forever = pending.wait(1, { timeoutMs: Infinity });
    const huge = pending.wait(2, { timeoutMs: 2 ** 40 });
    // A timer given Infinity or 2^40 fires after 1 ms; this one fires after it.
    await expect(pending.wait(3, { timeoutMs: 10 })).rejects.toMatchObject({
      code: "deadline_exceeded",
    });
    expect(pending.size, "neither call gave up").toBe(2);
    pending.resolve(1, "one");
    pending.resolve(2, "two");
    await expect(forever).resolves.toBe("one");
    await expect(huge).resolves.toBe("two");
  });

  it("fails every call still waiting when the connection goes", async () => {
    const pending = new PendingCalls<string>();
    const calls = ["a", "b", "c"].map((id) => pending.wait(id, { timeoutMs: 60_000 }));
    const gone = new RpcError("unavailable", "the connection closed");
    pending.rejectAll(gone);
    for (const call of calls) await expect(call).rejects.toBe(gone);
    expect(pending.size).toBe(0);
  });
});
