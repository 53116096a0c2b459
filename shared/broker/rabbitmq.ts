import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";

/**
 * A RabbitMQ of our own: started from the installed Debian binaries, in a temporary directory,
 * on free ports, with its own epmd, so parallel runs never meet each other or a system broker.
 */
export interface PrivateBroker {
  /** amqp://guest:guest@127.0.0.1:PORT/ */
  url: string;
  /** The Erlang node name, e.g. course-1a2b3c@localhost. */
  nodeName: string;
  /** Kills the broker (its whole process group) and removes its directory. */
  stop(): Promise<void>;
  /** Every client connection drops, then the broker comes back on the same port, same data. */
  restart(): Promise<void>;
  /** http://127.0.0.1:PORT/ (guest / guest), when started with `management: true`. */
  managementUrl?: string;
  /** Stops the broker as an operator would (SIGTERM), and leaves it down; stop() cleans up. */
  shutDown(): Promise<void>;
}

export interface PrivateBrokerOptions {
  /** How long to wait for the broker to accept AMQP connections. Default 90 s. */
  startTimeoutMs?: number;
  /** Passed to the broker's output: where its startup banner and logs go. Default: a file. */
  log?: "file" | "inherit";
  /** Also start the management web UI (exchanges, queues, bindings, rates); slower to start. */
  management?: boolean;
}

/** Where Debian (and most Linux packages) put the real start script. */
const SERVER_SCRIPTS = [
  process.env.RABBITMQ_SERVER,
  "/usr/lib/rabbitmq/bin/rabbitmq-server",
  "/usr/lib/rabbitmq/sbin/rabbitmq-server",
  "/usr/local/sbin/rabbitmq-server",
  "/opt/homebrew/sbin/rabbitmq-server",
  "/usr/local/opt/rabbitmq/sbin/rabbitmq-server",
  "/usr/sbin/rabbitmq-server",
];

export const NO_BROKER_MESSAGE =
  "lessons 8–10 need RabbitMQ: install it (sudo apt-get install rabbitmq-server, or " +
  "brew install rabbitmq) and the tests start a private broker themselves, or run one " +
  "(docker run -p 5672:5672 rabbitmq) and set AMQP_URL=amqp://guest:guest@localhost:5672/";

/** The rabbitmq-server start script, or undefined when none is installed. */
export function findRabbitmqServer(): string | undefined {
  for (const candidate of SERVER_SCRIPTS) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next place
    }
  }
  return undefined;
}

export class BrokerUnavailableError extends Error {
  override name = "BrokerUnavailableError";
}

/** Starts a private broker and resolves once it accepts AMQP connections. */
export async function startPrivateBroker(
  options: PrivateBrokerOptions = {},
): Promise<PrivateBroker> {
  const server = findRabbitmqServer();
  if (!server) throw new BrokerUnavailableError(NO_BROKER_MESSAGE);
  const dir = mkdtempSync(path.join(os.tmpdir(), "course-rabbitmq-"));
  const [epmdPort] = await freePorts(1);
  const nodeName = `course-${process.pid}-${randomBytes(3).toString("hex")}@localhost`;
  return startNode(
    server,
    { dir, home: dir, nodeName, epmdPort: epmdPort!, ownEpmd: true },
    options,
  );
}

/** Where one node lives and how it finds its peers. */
export interface NodePlace {
  /** Its own directory: data, logs, configuration; removed when it stops. */
  dir: string;
  /** Holds the Erlang cookie: the nodes of one cluster share it. */
  home: string;
  nodeName: string;
  epmdPort: number;
  /** Start an epmd of its own (a single broker), or use the cluster's. */
  ownEpmd: boolean;
  /** Lines added to rabbitmq.conf (a cluster's peers). */
  extraConfig?: string[];
}

export async function startNode(
  server: string,
  place: NodePlace,
  options: PrivateBrokerOptions,
): Promise<PrivateBroker> {
  const { dir, nodeName, epmdPort } = place;
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const [amqpPort, distPort, managementPort] = await freePorts(3);
  const url = `amqp://guest:guest@127.0.0.1:${amqpPort}/`;
  const logFile = path.join(dir, "log", "startup.log");
  for (const sub of ["mnesia", "log", "plugins"])
    mkdirSync(path.join(dir, sub), { recursive: true });

  // No plugins by default: the management UI alone doubles the start time.
  writeFileSync(
    path.join(dir, "enabled_plugins"),
    options.management ? "[rabbitmq_management].\n" : "[].\n",
  );
  writeFileSync(
    path.join(dir, "rabbitmq.conf"),
    [
      `listeners.tcp.1 = 127.0.0.1:${amqpPort}`,
      // A small /tmp must not make the broker block every publisher.
      "disk_free_limit.absolute = 1MB",
      "log.console = false",
      "log.file.level = warning",
      ...(options.management
        ? [`management.tcp.ip = 127.0.0.1`, `management.tcp.port = ${managementPort}`]
        : []),
      ...(place.extraConfig ?? []),
      "",
    ].join("\n"),
  );

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    COURSE_BROKER_DIR: dir,
    COURSE_OWN_EPMD: place.ownEpmd ? "1" : "",
    HOME: place.home, // the Erlang cookie is written here, not in the user's home
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_USE_LONGNAME: "false",
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: "127.0.0.1",
    RABBITMQ_CONF_ENV_FILE: path.join(dir, "rabbitmq-env.conf"), // absent: ignore /etc's
    RABBITMQ_CONFIG_FILE: path.join(dir, "rabbitmq.conf"),
    RABBITMQ_ADVANCED_CONFIG_FILE: path.join(dir, "advanced.config"),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, "enabled_plugins"),
    RABBITMQ_PLUGINS_EXPAND_DIR: path.join(dir, "plugins"),
    RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(dir, "log"),
    RABBITMQ_LOGS: path.join(dir, "log", "broker.log"),
    RABBITMQ_PID_FILE: path.join(dir, "broker.pid"),
    // Two cores are common on laptops and CI: one scheduler and few async threads keep the
    // broker light; -start_epmd false because the launcher runs the node's own epmd.
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "+S 1:1 +SDio 1 +A 4 -start_epmd false",
  };
  delete env.RABBITMQ_ENABLED_PLUGINS;
  delete env.RABBITMQ_CONFIG_FILES;

  let current: Incarnation | undefined;
  let stopped = false;

  const launch = async () => {
    current = startIncarnation(server, env, epmdPort, logFile, options.log ?? "file");
    try {
      await waitUntilAccepting(url, current, startTimeoutMs, logFile);
    } catch (error) {
      await current.kill();
      throw error;
    }
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await current?.kill();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await launch();
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    url,
    nodeName,
    ...(options.management ? { managementUrl: `http://127.0.0.1:${managementPort}/` } : {}),
    stop,
    async restart() {
      if (stopped) throw new Error("the broker was stopped; start a new one");
      await current!.shutDown(path.join(dir, "broker.pid"));
      await launch();
    },
    async shutDown() {
      if (stopped) return;
      await current!.shutDown(path.join(dir, "broker.pid"));
    },
  };
}

/**
 * One run of the broker, in a process group of its own led by a small shell watchdog:
 * it starts epmd and rabbitmq-server, and kills the whole group (beam, epmd, inet_gethost...)
 * when the server exits or when our end of its stdin closes, which also happens when this
 * Node process dies without cleaning up. Nothing outlives the process that started it.
 */
interface Incarnation {
  child: ChildProcess;
  exited: Promise<void>;
  /** Kills the whole group at once. */
  kill(): Promise<void>;
  /** Stops the broker the way an operator would (SIGTERM to the VM), then the group. */
  shutDown(pidFile: string): Promise<void>;
}

const WATCHDOG = `
epmd=""
if [ -n "$COURSE_OWN_EPMD" ]; then
  epmd -port "$ERL_EPMD_PORT" -address 127.0.0.1 &
  epmd=$!
fi
tries=0
until epmd -port "$ERL_EPMD_PORT" -names >/dev/null 2>&1; do
  tries=$((tries + 1)); [ "$tries" -gt 200 ] && kill -KILL 0
  sleep 0.05
done
"$0" </dev/null &
server=$!
# A background job's stdin is /dev/null unless redirected, hence fd 3.
exec 3<&0
(
  cat <&3 >/dev/null
  # Our parent is gone without stopping us: clean up for it. ($$ is the outer shell, which
  # would otherwise see the server exit and kill the group before the directory is gone.)
  kill -KILL $$ "$(cat "$RABBITMQ_PID_FILE" 2>/dev/null)" "$server" $epmd 2>/dev/null
  rm -rf "$COURSE_BROKER_DIR"
  kill -KILL 0
) &
wait "$server"
kill -KILL 0
`;

function startIncarnation(
  server: string,
  env: NodeJS.ProcessEnv,
  epmdPort: number,
  logFile: string,
  log: "file" | "inherit",
): Incarnation {
  // A file, not a pipe: a pipe would need us to keep reading it, and would fill up.
  const out = log === "inherit" ? "inherit" : openSync(logFile, "a");
  const child = spawn("/bin/sh", ["-c", WATCHDOG, server], {
    detached: true, // its own process group, so one kill reaches every process in it
    env: { ...env, ERL_EPMD_PORT: String(epmdPort) },
    stdio: ["pipe", out, out],
  });
  if (typeof out === "number") closeSync(out);
  child.stdin!.on("error", () => {}); // the group is gone; nothing to tell it
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  child.once("error", () => {});
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  return {
    child,
    exited,
    async kill() {
      killGroup();
      child.stdin!.destroy();
      await exited;
    },
    async shutDown(pidFile) {
      let beam: number | undefined;
      try {
        beam = Number(readFileSync(pidFile, "utf8").trim());
      } catch {
        beam = undefined;
      }
      if (beam) {
        try {
          process.kill(beam, "SIGTERM");
        } catch {
          // already gone
        }
      }
      // The watchdog ends the group once the server has gone; a broker stuck in its shutdown
      // for 30 s is killed outright.
      await Promise.race([exited, sleep(30_000, undefined, { ref: false })]);
      killGroup();
      child.stdin!.destroy();
      await exited;
    },
  };
}

/** Connects until the broker answers, the run dies, or the deadline passes. */
async function waitUntilAccepting(
  url: string,
  run: Incarnation,
  timeoutMs: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let died = false;
  void run.exited.then(() => (died = true));
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (died) {
      throw new Error(`rabbitmq-server exited while starting:\n${tail(logFile)}`);
    }
    try {
      const connection = await amqp.connect(url, { timeout: 2_000 });
      // A broker still booting can answer the close oddly; a late 'error' must not kill the run.
      connection.on("error", () => {});
      await connection.close();
      return;
    } catch (error) {
      lastError = error;
      await sleep(200);
    }
  }
  throw new Error(
    `rabbitmq-server did not accept connections within ${timeoutMs} ms ` +
      `(${(lastError as Error | undefined)?.message ?? "no answer"}):\n${tail(logFile)}`,
  );
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** `count` distinct ports the OS says are free right now, held together so they differ. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
