import type net from "node:net";
import type { Direction } from "../wire/message.js";
import type { Relay } from "../wire/proxy.js";
import { Prng } from "./prng.js";

/**
 * What the network does to one direction of one connection: every write is cut into pieces of
 * 1..maxPiece bytes sent gapMs apart; it may stall once, and the connection may be dropped
 * after a given byte, usually in the middle of a message.
 */
export interface DirectionPlan {
  maxPiece: number;
  maxGapMs: number;
  stall?: { atByte: number; ms: number };
  dropAtByte?: number;
}

export interface ConnectionPlan {
  connection: number;
  "to-server": DirectionPlan;
  "to-client": DirectionPlan;
}

export interface FaultOptions {
  seed: number;
  /** Chance that a connection is dropped (default 0.25). */
  dropChance?: number;
  /** Connections before this number are never dropped (a stage's first call gets through). */
  spare?: number;
  /** Names the sequence of plans, so that two proxies on one seed get different ones. */
  stream?: string;
}

/**
 * A fault plan for each connection, from the seed and the connection's number alone: the same
 * seed gives the same plans, whatever the timing of the run.
 */
export function planFor(options: FaultOptions, connection: number): ConnectionPlan {
  const random = Prng.derive(options.seed, options.stream ?? "connection", connection);
  const dropping = connection > (options.spare ?? 0) && random.chance(options.dropChance ?? 0.25);
  const dropSide: Direction = random.chance(0.5) ? "to-server" : "to-client";
  const direction = (side: Direction): DirectionPlan => {
    const plan: DirectionPlan = { maxPiece: random.int(1, 24), maxGapMs: random.int(0, 3) };
    if (random.chance(0.3)) plan.stall = { atByte: random.int(1, 120), ms: random.int(40, 250) };
    if (dropping && side === dropSide) plan.dropAtByte = random.int(1, 96);
    return plan;
  };
  return { connection, "to-server": direction("to-server"), "to-client": direction("to-client") };
}

/** One line per connection: what the seed does to it. */
export function describePlan(plan: ConnectionPlan, name = "conn"): string {
  const side = (arrow: string, p: DirectionPlan) =>
    `${arrow} pieces of ${p.maxPiece === 1 ? "1" : `1–${p.maxPiece}`} B${p.maxGapMs ? ` 0–${p.maxGapMs} ms apart` : ""}` +
    (p.stall ? `, stall ${p.stall.ms} ms at byte ${p.stall.atByte}` : "") +
    (p.dropAtByte !== undefined ? `, DROP at byte ${p.dropAtByte}` : "");
  return `fault ${name} ${plan.connection}: ${side("→ server", plan["to-server"])}; ${side("→ client", plan["to-client"])}`;
}

/**
 * A relay for the wire proxy that plays each connection's plan. Bytes keep their order; only
 * their timing and cuts change, until a drop destroys both sockets.
 */
export function faultRelay(
  options: FaultOptions,
  onPlan: (line: string) => void,
  /** How the plan lines name a connection: "conn", or "broker conn" for the server's. */
  name = "conn",
): Relay {
  const plans = new Map<number, ConnectionPlan>();
  return (from, to, direction, connection) => {
    let plan = plans.get(connection);
    if (!plan) {
      plan = planFor(options, connection);
      plans.set(connection, plan);
      onPlan(describePlan(plan, name));
    }
    playPlan(from, to, plan[direction], Prng.derive(options.seed, "pieces", connection, direction));
  };
}

function playPlan(from: net.Socket, to: net.Socket, plan: DirectionPlan, random: Prng): void {
  const queue: Buffer[] = [];
  let sent = 0;
  let pumping = false;
  let ended = false;
  let stalled = false;
  const gone = () => to.destroyed || to.writableEnded;

  const pump = async () => {
    if (pumping) return;
    pumping = true;
    while (queue.length > 0 && !gone()) {
      const head = queue[0]!;
      let size = Math.min(head.length, random.int(1, plan.maxPiece));
      if (plan.stall && !stalled && sent + size >= plan.stall.atByte) {
        size = Math.max(1, plan.stall.atByte - sent);
      }
      if (plan.dropAtByte !== undefined && sent + size >= plan.dropAtByte) {
        to.write(head.subarray(0, Math.max(0, plan.dropAtByte - sent)));
        from.destroy();
        to.destroySoon();
        queue.length = 0;
        return;
      }
      to.write(head.subarray(0, size));
      sent += size;
      if (size === head.length) queue.shift();
      else queue[0] = head.subarray(size);
      if (plan.stall && !stalled && sent >= plan.stall.atByte) {
        stalled = true;
        await sleep(plan.stall.ms);
      } else {
        const gap = random.int(0, plan.maxGapMs);
        if (gap > 0) await sleep(gap);
        else await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (queue.length === 0 && from.isPaused()) from.resume();
    }
    pumping = false;
    if (ended && queue.length === 0 && !gone()) to.end();
  };

  from.on("data", (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length > 64) from.pause(); // backpressure: the network is slower than the sender
    void pump();
  });
  from.on("end", () => {
    ended = true;
    void pump();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
