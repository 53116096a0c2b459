import { decodeCall, decodeReply } from "../../solutions/02-call-id-and-serialization/messages.js";
import { DEFAULT_MAX_FRAME_BYTES } from "../../solutions/03-raw-tcp/framing.js";
import { Registry } from "../../solutions/02-call-id-and-serialization/registry.js";
import { calculator } from "../../shared/calculator.js";
import { argList, brief, type DecoderFactory, type WireMessage } from "./message.js";
import { guardedDecoder } from "./raw.js";

/**
 * Lesson 3's frames: u32 body length, u32 request ID, then lesson 2's call (client → server)
 * or reply (server → client). Call IDs are named by the calculator's registry, as the course's
 * servers number them; another service's IDs show as numbers.
 */
const names = Registry.fromService(calculator);

function nameOf(callId: number): string {
  try {
    return names.byId(callId).name;
  } catch {
    return `#${callId}`;
  }
}

export const framesDecoder: DecoderFactory = (direction) =>
  guardedDecoder((queue) => {
    if (queue.length < 8) return undefined;
    const header = queue.peek(8);
    const length = header.readUInt32BE(0);
    const requestId = header.readUInt32BE(4);
    if (length > DEFAULT_MAX_FRAME_BYTES) {
      throw new Error(`a frame announces ${length} bytes, over lesson 3's limit`);
    }
    if (queue.length < 8 + length) return undefined;
    const frame = queue.take(8 + length);
    const body = frame.subarray(8);
    const head = `frame: length ${length}, request ${requestId}`;
    const message: WireMessage = {
      size: frame.length,
      title: head,
      lines: [],
      raw: frame,
      label: "",
    };
    try {
      if (direction === "to-server") {
        const call = decodeCall(body);
        const name = nameOf(call.callId);
        message.title = `${head}, call ${name}(${argList(call.args)})`;
        message.lines.push(`call ID ${call.callId} (${name}), arguments ${brief(call.args)}`);
        message.label = `req ${requestId} ${name}(${argList(call.args)})`;
        message.startsCall = true;
      } else {
        const reply = decodeReply(body);
        const text = reply.ok
          ? `result ${brief(reply.result)}`
          : `error ${reply.error.code} ${reply.error.name}: ${reply.error.message}`;
        message.title = `${head}, ${text}`;
        message.label = `req ${requestId} ${text}`;
        message.endsCall = true;
      }
    } catch (error) {
      message.title = `${head}, body not decoded: ${(error as Error).message}`;
      message.label = `req ${requestId} ?`;
    }
    return message;
  });
