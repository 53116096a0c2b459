import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { RpcError } from "../../shared/rpc-error.js";
import { streamChannel } from "./channel.js";
import {
  ContentLengthDecoder,
  contentLengthFraming,
  encodeLine,
  encodeWithLength,
  LineDecoder,
  newlineFraming,
} from "./framing.js";
import { Recorder } from "./testing.js";

const ECHO_CHILD = fileURLToPath(new URL("./fixtures/echo-child.mjs", import.meta.url));
const NOISY_SHELL =
  'echo "echo child starting"; echo "echo child: logs go to stderr" >&2; exec cat';

/**
 * A child that echoes its stdin to its stdout, stopped when the test ends however it ends (a
 * leaked child would hang the run). `cat` starts in milliseconds, a Node child in a tenth of
 * a second; fixtures/echo-child.mjs does the same where there is no `cat`. `noisy` first
 * writes a log line to stdout, as careless servers do, and its real log to stderr.
 */
function spawnEcho({ noisy = false } = {}) {
  const child =
    process.platform === "win32"
      ? spawn(process.execPath, [ECHO_CHILD, ...(noisy ? ["--noisy"] : [])])
      : noisy
        ? spawn("sh", ["-c", NOISY_SHELL])
        : spawn("cat");
  onTestFinished(() => {
    if (child.exitCode === null) child.kill();
  });
  return child;
}

/** Feeds `wire` to a decoder in two pieces cut at `cut`, and returns all it decoded. */
function decodeCut(decoder: { push(chunk: Uint8Array): unknown[] }, wire: Buffer, cut: number) {
  return [...decoder.push(wire.subarray(0, cut)), ...decoder.push(wire.subarray(cut))];
}

describe("task 1: framing two ways, on a child's stdio", () => {
  it("writes a message as one line, and reads lines split and merged at every byte", () => {
    expect(encodeLine('{"a":1}').toString()).toBe('{"a":1}\n');
    const wire = Buffer.concat([encodeLine('{"n":"é"}'), Buffer.from("\r\n"), encodeLine("[2]")]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = new LineDecoder();
      expect(decodeCut(decoder, wire, cut), `cut at ${cut}`).toEqual(['{"n":"é"}', "[2]"]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it("refuses a line over the limit without holding it, then reads the next line", () => {
    const decoder = new LineDecoder(100);
    const frames: unknown[] = [];
    for (let i = 0; i < 50; i++) {
      frames.push(...decoder.push(Buffer.alloc(64, "x")));
      expect(decoder.bufferedBytes, "a long line is dropped as it arrives").toBeLessThanOrEqual(
        100,
      );
    }
    frames.push(...decoder.push(Buffer.from('x\n{"ok":true}\n')));
    expect(frames).toHaveLength(2);
    expect(frames[0], "one too_large in place of the long line").toMatchObject({
      code: "too_large",
    });
    expect(frames[1]).toBe('{"ok":true}');
  });

  it("writes Content-Length in bytes, not characters, and reads messages cut at every byte", () => {
    expect(encodeWithLength('"é"').toString()).toBe('Content-Length: 4\r\n\r\n"é"');
    const wire = Buffer.concat([
      encodeWithLength('{"a":"é"}'),
      Buffer.from(
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 3\r\n\r\n[1]",
      ),
    ]);
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = new ContentLengthDecoder();
      expect(decodeCut(decoder, wire, cut), `cut at ${cut}`).toEqual(['{"a":"é"}', "[1]"]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it("refuses a missing Content-Length, and a length over the limit from the header alone", () => {
    expect(() => new ContentLengthDecoder().push(Buffer.from("Content-Type: x\r\n\r\n{}"))).toThrow(
      expect.objectContaining({ code: "bad_message" }),
    );
    const decoder = new ContentLengthDecoder(1000);
    expect(() => decoder.push(Buffer.from("Content-Length: 100000000\r\n\r\n"))).toThrow(
      expect.objectContaining({ code: "too_large" }),
    );
    expect(decoder.bufferedBytes, "and holds nothing after").toBe(0);
    expect(() => decoder.push(Buffer.from("{}")), "a failed stream stays failed").toThrow(RpcError);
  });

  it("carries messages over a child process's stdin and stdout", async () => {
    for (const framing of [newlineFraming, contentLengthFraming]) {
      const child = spawnEcho();
      child.stderr.resume();
      const recorder = new Recorder();
      const channel = streamChannel(child.stdout, child.stdin, framing);
      channel.start(recorder);
      channel.send({ jsonrpc: "2.0", method: "hello", params: { name: "stdio" } });
      const echoed = await recorder.next((m) => m.method === "hello");
      expect(echoed, framing.name).toEqual({
        jsonrpc: "2.0",
        method: "hello",
        params: { name: "stdio" },
      });
      channel.close();
      expect(
        await new Promise((resolve) => child.once("exit", resolve)),
        "stdin closed: the child exits",
      ).toBe(0);
      expect(recorder.closed, "closing runs onClose").toBe(true);
    }
  });

  it("a stray console.log on stdout is not a message: it breaks the stream, stderr does not", async () => {
    const child = spawnEcho({ noisy: true });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const recorder = new Recorder();
    const channel = streamChannel(child.stdout, child.stdin, newlineFraming);
    channel.start(recorder);
    channel.send({ jsonrpc: "2.0", method: "ping", id: 1 });
    await recorder.next((m) => m.id === 1);
    expect(
      recorder.bad.map((e) => e.code),
      "the log line arrived where a message should be",
    ).toEqual(["bad_message"]);
    channel.close();
    await new Promise((resolve) => child.once("close", resolve)); // exited, stderr read to its end
    expect(stderr, "logs on stderr never reach the channel").toContain("logs go to stderr");
  });
});
