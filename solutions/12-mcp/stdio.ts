import { spawn, type ChildProcess } from "node:child_process";
import { RpcError } from "../../shared/rpc-error.js";
import { streamChannel, type Channel, type Receiver } from "./channel.js";
import type { Framing } from "./framing.js";

/**
 * stdio as a transport, the way editors start language servers and assistants start MCP
 * servers: the client spawns the server; the server's stdin and stdout carry messages, and
 * its stderr is free for logs. Plumbing, given: the framing and the channel are the lesson.
 */

export interface SpawnedPeer {
  channel: Channel;
  child: ChildProcess;
  /** Resolves with the exit code once the child has exited. */
  exited: Promise<number | null>;
}

/**
 * Starts `command` with pipes on stdin and stdout and hands each line of its stderr to `log`
 * (by default our own stderr). Closing the channel ends the child's stdin, which is how a
 * stdio server learns that it should exit; it is killed if it has not exited 2 s later.
 */
export function spawnPeer(
  command: string,
  args: string[],
  framing: Framing,
  {
    log = (line: string) => void process.stderr.write(`${line}\n`),
    env = process.env,
  }: { log?: (line: string) => void; env?: NodeJS.ProcessEnv } = {},
): SpawnedPeer {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  let stderrRest = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    const lines = (stderrRest + text).split("\n");
    stderrRest = lines.pop()!.slice(-10_000);
    for (const line of lines) log(line);
  });
  const inner = streamChannel(child.stdout!, child.stdin!, framing);
  // A child that cannot start (ENOENT) or dies closes the channel with a clear reason.
  let receiver: Receiver | undefined;
  child.once("error", (error) => {
    receiver?.onClose(RpcError.from(error));
  });
  const channel: Channel = {
    send: (message, options) => inner.send(message, options),
    start(r) {
      receiver = r;
      inner.start(r);
    },
    close() {
      inner.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
      timer.unref();
      void exited.then(() => clearTimeout(timer));
    },
  };
  return { channel, child, exited };
}

/** This process's own stdin and stdout, for a server that a client has spawned. */
export function ownStdio(framing: Framing): Channel {
  return streamChannel(process.stdin, process.stdout, framing);
}
