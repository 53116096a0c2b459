import { afterEach, beforeAll } from "vitest";
import { amqpUrl } from "../shared/broker/testing.js";
import { requirePython } from "../shared/testing/python.js";
import { Transport } from "../solutions/09-amqp-rpc/transport.js";

/** oslo.messaging wants rabbit://; the test broker's URL is amqp://. */
export const osloTransportUrl = () => amqpUrl().replace(/^amqp:/, "rabbit:");

/**
 * What the oslo.messaging interop files of lessons 9 and 10 share: the Python peer must be
 * installed, and whatever a test opens (transports, clients, Python peers) is closed after it,
 * newest first.
 */
export function useOsloTestbed() {
  beforeAll(() => {
    requirePython({ modules: ["oslo_messaging"], debianPackage: "python3-oslo.messaging" });
  });

  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  });

  async function transport(): Promise<Transport> {
    const t = await Transport.connect(osloTransportUrl(), { log: () => {} });
    cleanups.push(() => t.close());
    return t;
  }

  return { cleanups, transport };
}
