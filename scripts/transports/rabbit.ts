import { calculatorParameters } from "../../shared/oslo-calculator.js";
import { RpcClient } from "../../solutions/09-amqp-rpc/rpc-client.js";
import { RpcServer } from "../../solutions/09-amqp-rpc/rpc-server.js";
import { parameterNames } from "../../solutions/05-json-rpc/parameter-names.js";
import { hostname } from "node:os";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import type { Transport as CliTransport } from "../lib/transport.js";
import { RpcError } from "../../shared/rpc-error.js";

/**
 * npm run call -- rabbit://guest:guest@127.0.0.1:5672/ add 1 2 --topic calc
 *   [--server name] [--fanout] [--cast] [--namespace ns] [--version 2.0]
 * (lesson 9's server: npm run demo 9 server). oslo.messaging passes arguments by name:
 * `a=1 b=2` names them, as the method declares them (an oslo server with `add(x, y)` needs
 * `x=1 y=2`); plain values take the calculator's parameter names in order (`add 1 2` sends
 * a=1, b=2).
 */
export const transport: CliTransport = {
  schemes: ["rabbit:"],
  describe:
    "lesson 9, oslo.messaging RPC on RabbitMQ: rabbit://guest:guest@127.0.0.1:5672/ --topic calc\n" +
    "  (arguments by name, as the method declares them: add a=1 b=2; plain values take those names in order)",
  /** oslo passes arguments by name: each function is called with its parameters, by name. */
  async serve(url, service, { flags, log }) {
    const topic = typeof flags.topic === "string" ? flags.topic : "calc";
    const server = typeof flags.server === "string" ? flags.server : hostname();
    const endpoint: Record<string, (context: unknown, args: Record<string, unknown>) => unknown> =
      Object.create(null);
    const parameters: Record<string, string[]> = Object.create(null);
    for (const [name, fn] of Object.entries(service)) {
      const signature = parameterNames(fn);
      const names = signature?.names ?? [];
      endpoint[name] = (_context, args) => fn(...names.map((n) => args[n]));
      if (signature && !signature.rest) parameters[name] = names;
    }
    // A keyword the function does not take is a TypeError, as from a Python oslo server.
    Object.defineProperty(endpoint, "parameters", { value: parameters });
    const rpc = await Transport.connect(url.href, { log });
    const rpcServer = new RpcServer(rpc, { topic, server }, [endpoint], { log });
    await rpcServer.start();
    return {
      url: `${url.href} --topic ${topic}`,
      close: async () => {
        await rpcServer.stop();
        await rpcServer.wait();
        await rpc.close();
      },
    };
  },
  async call(url, method, args, { flags, timeoutMs }) {
    const topic = typeof flags.topic === "string" ? flags.topic : "calc";
    const target = {
      topic,
      ...(typeof flags.server === "string" ? { server: flags.server } : {}),
      ...(flags.fanout ? { fanout: true } : {}),
      ...(typeof flags.namespace === "string" ? { namespace: flags.namespace } : {}),
      ...(typeof flags.version === "string" ? { version: flags.version } : {}),
    };
    const kwargs = namedArguments(method, args);
    const rpc = await Transport.connect(url.href, { log: () => {} });
    const client = new RpcClient(rpc, target, { timeoutMs });
    try {
      if (flags.cast || flags.fanout) {
        await client.cast({}, method, kwargs);
        return "cast sent";
      }
      return await client.call({}, method, kwargs);
    } finally {
      // An open AMQP connection would keep the command from exiting.
      await client.close();
      await rpc.close();
    }
  },
};

function namedArguments(method: string, args: unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  const positional: unknown[] = [];
  for (const arg of args) {
    const pair = typeof arg === "string" ? /^([A-Za-z_]\w*)=(.*)$/s.exec(arg) : null;
    if (pair) named[pair[1]!] = parseValue(pair[2]!);
    else positional.push(arg);
  }
  if (positional.length === 0) return named;
  const names = Object.hasOwn(calculatorParameters, method) ? calculatorParameters[method]! : [];
  if (positional.length > names.length) {
    throw new RpcError(
      "invalid_argument",
      `oslo.messaging passes arguments by name: write ${method} name=value ...`,
    );
  }
  positional.forEach((value, i) => (named[names[i]!] = value));
  return named;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
