import net from "node:net";
import { hostPort, type BenchClient, type BenchServer } from "../harness/target.js";

/**
 * The floor: the least a remote add(a, b) can cost in Node — one long-lived `node:net`
 * connection, binary frames, no serialization library, no dispatch.
 *
 *   request  [0..4) length = 20 (u32 BE)  [4..8) request ID (u32 BE)  [8..16) a (f64 BE)  [16..24) b (f64 BE)
 *   reply    [0..4) length = 12 (u32 BE)  [4..8) request ID (u32 BE)  [8..16) a + b (f64 BE)
 *
 * Both sides batch: the server answers every frame of one chunk with one write, and the client
 * corks the socket so the calls issued in one tick leave in one write (net-unbatched.ts turns
 * that off, to show what it is worth).
 */

const REQUEST = 24;
const REPLY = 16;

/** Calls `onFrame` for each whole frame of `size` bytes; returns the bytes left over. */
function frames(
  rest: Buffer,
  chunk: Buffer,
  size: number,
  onFrame: (buf: Buffer, at: number) => void,
): Buffer {
  // Join only a partial frame with the next chunk, never the whole stream.
  const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
  let at = 0;
  for (; at + size <= data.length; at += size) {
    if (data.readUInt32BE(at) !== size - 4) throw new Error("unexpected frame length");
    onFrame(data, at);
  }
  return data.subarray(at);
}

export function makeFloor(batch: boolean) {
  async function serve(): Promise<BenchServer> {
    const server = net.createServer((socket) => {
      socket.setNoDelay(true);
      let rest: Buffer = Buffer.alloc(0);
      socket.on("data", (chunk) => {
        const replies = Buffer.allocUnsafe(
          Math.ceil((rest.length + chunk.length) / REQUEST) * REPLY,
        );
        let used = 0;
        rest = frames(rest, chunk, REQUEST, (buf, at) => {
          const reply = batch ? replies.subarray(used, (used += REPLY)) : Buffer.allocUnsafe(REPLY);
          reply.writeUInt32BE(REPLY - 4, 0);
          reply.writeUInt32BE(buf.readUInt32BE(at + 4), 4);
          reply.writeDoubleBE(buf.readDoubleBE(at + 8) + buf.readDoubleBE(at + 16), 8);
          if (!batch) socket.write(reply);
        });
        if (batch && used) socket.write(replies.subarray(0, used));
      });
      socket.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return {
      address: `127.0.0.1:${port}`,
      close: () => new Promise((resolve) => server.close(() => resolve())),
    };
  }

  async function connect(address: string): Promise<BenchClient> {
    const socket = net.connect(hostPort(address));
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve).once("error", reject);
    });
    const pending = new Map<number, { resolve(sum: number): void; reject(e: Error): void }>();
    socket.on("error", (error) => {
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
    let nextId = 0;
    let rest: Buffer = Buffer.alloc(0);
    socket.on("data", (chunk) => {
      rest = frames(rest, chunk, REPLY, (buf, at) => {
        const id = buf.readUInt32BE(at + 4);
        const call = pending.get(id);
        pending.delete(id);
        call?.resolve(buf.readDoubleBE(at + 8));
      });
    });
    let corked = false;
    return {
      add(a, b) {
        const id = (nextId = (nextId + 1) >>> 0);
        const frame = Buffer.allocUnsafe(REQUEST);
        frame.writeUInt32BE(REQUEST - 4, 0);
        frame.writeUInt32BE(id, 4);
        frame.writeDoubleBE(a, 8);
        frame.writeDoubleBE(b, 16);
        if (batch && !corked) {
          corked = true;
          socket.cork();
          process.nextTick(() => {
            corked = false;
            socket.uncork();
          });
        }
        socket.write(frame);
        return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      },
      close: async () => void socket.end(),
    };
  }

  return { serve, connect };
}

export const { serve, connect } = makeFloor(true);
