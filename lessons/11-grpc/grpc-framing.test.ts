import { describe, expect, it } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  encodeGrpcMessage,
  GrpcMessageDecoder,
} from "./grpc-framing.js";
import { encodeTimeout, fromGrpcStatus, GrpcStatus, parseTimeout, toGrpcStatus } from "./status.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("task 4: the message prefix, status codes and deadlines", () => {
  it("prefixes a message with a zero flag and its length, big-endian", () => {
    expect(hex(encodeGrpcMessage(Uint8Array.of(0xaa, 0xbb)))).toBe("00" + "00000002" + "aabb");
    expect(hex(encodeGrpcMessage(new Uint8Array(0))), "an empty message is a bare prefix").toBe(
      "0000000000",
    );
  });

  it("decodes messages split and merged at every byte boundary", () => {
    const wire = Buffer.concat([
      encodeGrpcMessage(Uint8Array.of(1, 2, 3)),
      encodeGrpcMessage(new Uint8Array(0)),
      encodeGrpcMessage(Uint8Array.of(9)),
    ]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = new GrpcMessageDecoder();
      const messages = [
        ...decoder.push(wire.subarray(0, cut)),
        ...decoder.push(wire.subarray(cut)),
      ];
      expect(messages.map(hex), `cut at ${cut}`).toEqual(["010203", "", "09"]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it("refuses a prefix announcing more than the limit before buffering the body", () => {
    expect(DEFAULT_MAX_MESSAGE_BYTES, "gRPC's default is 4 MiB").toBe(4 * 1024 * 1024);
    const decoder = new GrpcMessageDecoder(10);
    expect(() => decoder.push(Buffer.from("000000000b", "hex"))).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
  });

  it("keeps count of a message cut short, and refuses a compressed one", () => {
    const decoder = new GrpcMessageDecoder();
    expect(decoder.push(Buffer.from("0000000004aabb", "hex"))).toEqual([]);
    expect(decoder.bufferedBytes, "a truncated message is visible when the stream ends").toBe(7);
    expect(() => new GrpcMessageDecoder().push(Buffer.from("0100000000", "hex"))).toThrow(RpcError);
  });

  it("maps gRPC status codes to the course's RpcError codes and back", () => {
    const pairs = [
      [GrpcStatus.CANCELLED, "canceled"],
      [GrpcStatus.UNKNOWN, "remote_error"],
      [GrpcStatus.INVALID_ARGUMENT, "invalid_argument"],
      [GrpcStatus.DEADLINE_EXCEEDED, "deadline_exceeded"],
      [GrpcStatus.RESOURCE_EXHAUSTED, "too_large"],
      [GrpcStatus.UNIMPLEMENTED, "unknown_method"],
      [GrpcStatus.UNAVAILABLE, "unavailable"],
    ] as const;
    for (const [status, code] of pairs) {
      expect(fromGrpcStatus(status, "why").code, `grpc-status ${status}`).toBe(code);
      expect(toGrpcStatus(new RpcError(code, "why"))).toBe(status);
    }
    expect(toGrpcStatus(new RpcError("bad_message", "x"))).toBe(GrpcStatus.INTERNAL);
    expect(fromGrpcStatus(GrpcStatus.INTERNAL, "boom")).toMatchObject({
      code: "internal",
      message: "boom",
    });
  });

  it("writes and reads grpc-timeout", () => {
    expect(encodeTimeout(250)).toBe("250m");
    expect(parseTimeout(encodeTimeout(1234))).toBe(1234);
    expect(parseTimeout("2S")).toBe(2000);
    expect(parseTimeout("1H")).toBe(3_600_000);
    expect(parseTimeout("5000u")).toBe(5);
    expect(parseTimeout(undefined)).toBeUndefined();
    expect(parseTimeout("123456789m"), "at most 8 digits").toBeUndefined();
    expect(parseTimeout("10x")).toBeUndefined();
  });
});
