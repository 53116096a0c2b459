"""What every Python peer of the benchmark shares: announcing itself, and the client's loop.

A server prints "READY <address>" once it serves. A client prints "READY" once connected, then
reads one JSON request per line on stdin, {"concurrency": C, "durationMs": D}, runs a closed
loop (C threads, each sending its next add(a, b) as soon as the last returned) for D ms, and
prints one JSON line: the latencies in microseconds, the errors, the elapsed time and the
process's CPU time over the loop. The Node side (bench/harness/python-peer.ts) turns that into
a row of the table, the same way it does for a Node client.
"""
import json
import os
import sys
import threading
import time


def ready(address=""):
    print(("READY " + address).strip(), flush=True)


def exit_with_parent():
    """A server ends when its stdin closes: the benchmark's worker is gone, however it died."""

    def watch():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _lane(make_add, lane, end, latencies, errors):
    add = make_add()
    b = 0
    while time.perf_counter() < end:
        start = time.perf_counter()
        try:
            result = add(lane, b)
            if result != lane + b:
                raise ValueError("add(%d, %d) returned %r" % (lane, b, result))
            latencies.append((time.perf_counter() - start) * 1e6)
        except Exception as error:  # one failure must not end the lane, only be counted
            errors.append(repr(error)[:200])
            time.sleep(0.01)
        b += 1


def closed_loop(make_add, concurrency, duration_ms):
    latencies, errors = [], []
    end = time.perf_counter() + duration_ms / 1000
    cpu_before, start = time.process_time(), time.perf_counter()
    lanes = [
        threading.Thread(target=_lane, args=(make_add, i, end, latencies, errors), daemon=True)
        for i in range(concurrency)
    ]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()
    return {
        "latenciesUs": latencies,
        "errors": len(errors),
        "firstError": errors[0] if errors else None,
        "elapsedMs": (time.perf_counter() - start) * 1000,
        "cpuUs": (time.process_time() - cpu_before) * 1e6,
    }


def serve_loops(make_add):
    """The client's main loop: one closed loop per request line, until stdin closes."""
    ready()
    for line in sys.stdin:
        request = json.loads(line)
        result = closed_loop(make_add, request["concurrency"], request["durationMs"])
        print(json.dumps(result), flush=True)
