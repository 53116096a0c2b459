import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import amqp from "amqplib";
import {
  BrokerUnavailableError,
  findRabbitmqServer,
  freePorts,
  NO_BROKER_MESSAGE,
  startNode,
  type PrivateBroker,
  type PrivateBrokerOptions,
} from "./rabbitmq.js";

/**
 * A RabbitMQ cluster of our own on this machine, as OpenStack runs one on three hosts: every
 * node with its own name, ports and data directory, one epmd and one Erlang cookie for all,
 * joined at their first boot (classic peer discovery). stop() ends every process and removes
 * every file; so does the death of the process that started it.
 */
export interface PrivateCluster {
  nodes: PrivateBroker[];
  /** Every node in one transport URL, as nova.conf lists a cluster: rabbit://a@h1,b@h2/ */
  transportUrl: string;
  /** What rabbitmqctl needs to reach the nodes: the cluster's cookie (HOME) and epmd port. */
  ctlEnv: { HOME: string; ERL_EPMD_PORT: string };
  stop(): Promise<void>;
}

export async function startPrivateCluster(
  count = 3,
  options: PrivateBrokerOptions = {},
): Promise<PrivateCluster> {
  const server = findRabbitmqServer();
  if (!server) throw new BrokerUnavailableError(NO_BROKER_MESSAGE);
  const root = mkdtempSync(path.join(os.tmpdir(), "course-rabbitmq-cluster-"));
  // Written before any node starts: nodes starting together would each write a different one.
  writeFileSync(path.join(root, ".erlang.cookie"), randomBytes(16).toString("hex"), {
    mode: 0o400,
  });
  const [epmdPort] = await freePorts(1);
  const epmd = startEpmd(epmdPort!, root);
  const id = `course-${process.pid}-${randomBytes(3).toString("hex")}`;
  const names = Array.from({ length: count }, (_, i) => `${id}-${i + 1}@localhost`);
  const peers = [
    "cluster_formation.peer_discovery_backend = classic_config",
    ...names.map((name, i) => `cluster_formation.classic_config.nodes.${i + 1} = ${name}`),
  ];
  const nodes: PrivateBroker[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    epmd.kill();
    rmSync(root, { recursive: true, force: true });
  };
  const start = (nodeName: string) =>
    startNode(
      server,
      {
        dir: path.join(root, nodeName.split("@")[0]!),
        home: root,
        nodeName,
        epmdPort: epmdPort!,
        ownEpmd: false,
        extraConfig: peers,
      },
      options,
    ).then((node) => (nodes.push(node), node));
  try {
    // The first node forms the cluster; the others find it running and join it.
    await start(names[0]!);
    await Promise.all(names.slice(1).map(start));
    nodes.sort((a, b) => names.indexOf(a.nodeName) - names.indexOf(b.nodeName));
    await waitUntilJoined(nodes, options.startTimeoutMs ?? 90_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const hosts = nodes.map((node) => new URL(node.url).host);
  return {
    nodes,
    transportUrl: `rabbit://${hosts.map((h) => `guest:guest@${h}`).join(",")}/`,
    ctlEnv: { HOME: root, ERL_EPMD_PORT: String(epmdPort) },
    stop,
  };
}

/** One epmd for every node; killed, with the cluster's directory, if our process dies. */
function startEpmd(port: number, root: string): { kill(): void } {
  const child = spawn(
    "/bin/sh",
    [
      "-c",
      'epmd -port "$0" -address 127.0.0.1 & e=$!; cat >/dev/null; kill -KILL "$e"; rm -rf "$1"',
      String(port),
      root,
    ],
    { detached: true, stdio: ["pipe", "ignore", "ignore"] },
  );
  child.stdin!.on("error", () => {});
  child.once("error", () => {});
  return {
    kill() {
      child.stdin!.end();
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    },
  };
}

/** A queue declared on the first node is seen by every other: they are one cluster. */
async function waitUntilJoined(nodes: PrivateBroker[], timeoutMs: number): Promise<void> {
  const probe = `course.cluster-probe.${randomBytes(4).toString("hex")}`;
  const first = await amqp.connect(nodes[0]!.url);
  try {
    const channel = await first.createChannel();
    await channel.assertQueue(probe, { durable: false, autoDelete: false });
    const deadline = Date.now() + timeoutMs;
    for (const node of nodes.slice(1)) {
      for (;;) {
        const joined = await seesQueue(node.url, probe);
        if (joined) break;
        if (Date.now() > deadline) {
          throw new Error(`${node.nodeName} did not join ${nodes[0]!.nodeName}`);
        }
        await sleep(500);
      }
    }
    await channel.deleteQueue(probe);
  } finally {
    await first.close().catch(() => {});
  }
}

async function seesQueue(url: string, queue: string): Promise<boolean> {
  const connection = await amqp.connect(url);
  connection.on("error", () => {});
  try {
    const channel = await connection.createChannel();
    channel.on("error", () => {});
    await channel.checkQueue(queue);
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => {});
  }
}
