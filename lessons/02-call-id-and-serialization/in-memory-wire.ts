import type { Send } from "./client-stub.js";
import type { ServerStub } from "./server-stub.js";

/**
 * The transport of this lesson: no network, just a Buffer handed from the client stub to the
 * server stub and another handed back, each on a later turn of the event loop. Both are
 * copies, so the two sides share bytes and nothing else. Lesson 3 puts TCP in its place.
 */
export interface WireTap {
  /** Called with the bytes of every request and reply as they cross. */
  (direction: "request" | "reply", bytes: Buffer): void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function inMemoryWire(server: ServerStub, tap?: WireTap): Send {
  return async (request) => {
    const sent = Buffer.from(request); // a copy: only bytes cross
    tap?.("request", sent);
    await nextTurn();
    const reply = Buffer.from(await server.handle(sent));
    tap?.("reply", reply);
    await nextTurn();
    return reply;
  };
}
