import { pythonClient, pythonServer } from "../harness/python-peer.js";
import type { BenchClient, BenchServer, ClientOptions, TargetContext } from "../harness/target.js";

/**
 * A row for one of the seeds' own systems, run by /usr/bin/python3 from bench/seeds/. The
 * broker's URL, when the protocol needs one, goes first on the command line.
 */
export function seedSystem(script: string, { serverArgs = [] as string[], broker = false } = {}) {
  const brokerArgs = (context: TargetContext) => (broker ? [context.amqpUrl!] : []);
  return {
    serve: (context: TargetContext): Promise<BenchServer> =>
      pythonServer(script, [...brokerArgs(context), ...serverArgs]),
    connect: (address: string, options: ClientOptions): Promise<BenchClient> =>
      pythonClient(script, [...brokerArgs(options), address]),
  };
}
