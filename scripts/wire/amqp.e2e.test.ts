import { afterEach, expect, it } from "vitest";
import { amqpUrl, uniqueName } from "../../shared/broker/testing.js";
import { calculatorEndpoint } from "../../shared/oslo-calculator.js";
import { RpcServer } from "../../solutions/09-amqp-rpc/rpc-server.js";
import { Transport } from "../../solutions/09-amqp-rpc/transport.js";
import { transport as rabbit } from "../transports/rabbit.js";
import { amqpDecoder } from "./amqp.js";
import { callThrough } from "./through.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

it("npm run wire, end to end: lesson 9's call on AMQP frames, oslo's envelope opened", async () => {
  const url = amqpUrl().replace(/^amqp:/, "rabbit:");
  const topic = uniqueName("calc");
  const transport = await Transport.connect(url, { log: () => {} });
  cleanups.push(() => transport.close());
  const server = new RpcServer(transport, { topic, server: "wire" }, [calculatorEndpoint], {
    log: () => {},
  });
  cleanups.push(async () => {
    await server.stop();
    await server.wait();
  });
  await server.start();

  const { reply, passed } = await callThrough(rabbit, amqpDecoder, new URL(url), "add", [1, 2], {
    topic,
  });
  expect(reply).toBe(3);
  const titles = passed.map((m) => m.title);
  expect(titles[0]).toBe("protocol header AMQP 0-9-1");
  expect(titles).toContain(
    // Mandatory: a call no queue takes comes back at once.
    `method basic.publish, channel 2 exchange="openstack" routing-key="${topic}" mandatory`,
  );
  const call = passed.find((m) => m.startsCall)!;
  expect(call.label).toBe('call add({"a":1,"b":2})');
  expect(call.lines[0]).toBe("oslo envelope, version 2.0; oslo.message decoded:");
  expect(passed.find((m) => m.endsCall)!.label).toBe("result 3");
  expect(titles.some((t) => t.startsWith("method basic.deliver"))).toBe(true);
});
