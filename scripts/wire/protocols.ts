import { amqpDecoder } from "./amqp.js";
import { framesDecoder } from "./frames.js";
import { httpDecoder } from "./http.js";
import { http2Decoder } from "./http2.js";
import { mcpDecoder } from "./mcp.js";
import type { DecoderFactory } from "./message.js";
import { zmtpDecoder } from "./zmtp.js";

/** Which decoder reads the traffic of each `npm run call` scheme, and its default port. */
export const PROTOCOLS: Record<string, { decoder: DecoderFactory; name: string; port: number }> = {
  "tcp:": { decoder: framesDecoder, name: "lesson 3 frames", port: 4242 },
  "http:": { decoder: httpDecoder, name: "HTTP", port: 80 },
  "xmlrpc+http:": { decoder: httpDecoder, name: "HTTP + XML-RPC", port: 80 },
  "mcp+http:": { decoder: mcpDecoder, name: "MCP Streamable HTTP (JSON-RPC, SSE)", port: 80 },
  "zerorpc+tcp:": { decoder: zmtpDecoder, name: "ZMTP 3 + zerorpc", port: 4242 },
  "rabbit:": { decoder: amqpDecoder, name: "AMQP 0-9-1", port: 5672 },
  "amqp:": { decoder: amqpDecoder, name: "AMQP 0-9-1", port: 5672 },
  "grpc:": { decoder: http2Decoder, name: "HTTP/2 + gRPC", port: 50051 },
};
