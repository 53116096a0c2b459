# A zerorpc client written with pyzmq and msgpack only, following zerorpc's protocol document
# and zerorpc-python's own framing: a DEALER sends [b"", msgpack([header, name, args])] with
# use_bin_type=True and message ids as 32 ASCII bytes (msgpack bin). It calls the server at
# argv[1] (heartbeat 5 s) and argv[2] (heartbeat 100 ms), and prints one JSON line per
# scenario: {"scenario": ..., "ok": true|false, "detail": ...}.
#
# "Byte for byte": each reply must equal what zerorpc-python would have packed in its place,
# msgpack.packb([{"message_id": <the reply's id>, "v": 3, "response_to": <our id>}, name, args],
# use_bin_type=True) — key order, int and float widths, str vs bin, nil, all of it.
import json
import sys
import uuid

import msgpack
import zmq

endpoint, fast_heartbeat_endpoint = sys.argv[1], sys.argv[2]
context = zmq.Context()
ANY = object()


def dealer(address):
    socket = context.socket(zmq.DEALER)
    socket.linger = 0
    socket.rcvtimeo = 5000
    socket.connect(address)
    return socket


def new_id():
    return uuid.uuid4().hex.encode()


def send(socket, name, args, message_id=None, response_to=None):
    header = {"message_id": message_id or new_id(), "v": 3}
    if response_to is not None:
        header["response_to"] = response_to
    socket.send_multipart([b"", msgpack.packb([header, name, args], use_bin_type=True)])
    return header["message_id"]


def receive(socket):
    frames = socket.recv_multipart()
    if len(frames) != 2 or frames[0] != b"":
        raise AssertionError("a reply must be [empty delimiter, payload], got %d frames" % len(frames))
    header, name, args = msgpack.unpackb(frames[1], raw=False, strict_map_key=False)
    return frames[1], header, name, args


def expect(socket, request_id, name, args=ANY):
    """Receives one event and checks it against what zerorpc-python would send."""
    payload, header, got_name, got_args = receive(socket)
    problems = []
    if list(header.keys()) != ["message_id", "v", "response_to"]:
        problems.append("header keys %r" % list(header.keys()))
    if header.get("response_to") != request_id:
        problems.append("response_to %r, expected %r" % (header.get("response_to"), request_id))
    if got_name != name:
        problems.append("name %r, expected %r" % (got_name, name))
    wanted_args = got_args if args is ANY else args
    if got_args != wanted_args:
        problems.append("args %r, expected %r" % (got_args, wanted_args))
    reference = msgpack.packb(
        [{"message_id": header.get("message_id"), "v": 3, "response_to": request_id}, name, wanted_args],
        use_bin_type=True,
    )
    if not problems and payload != reference:
        problems.append("bytes %s, zerorpc-python would send %s" % (payload.hex(), reference.hex()))
    if problems:
        raise AssertionError("; ".join(problems))
    return got_args


def scenario(name):
    def run(test):
        try:
            detail = test()
            print(json.dumps({"scenario": name, "ok": True, "detail": detail}), flush=True)
        except Exception as error:  # report and go on: one line per scenario
            print(json.dumps({"scenario": name, "ok": False, "detail": repr(error)}), flush=True)
    return run


client = dealer(endpoint)


@scenario("add")
def _():
    request = send(client, "add", [11, 33])
    expect(client, request, "OK", [44])


@scenario("hello")
def _():
    request = send(client, "hello", ["RPC"])
    expect(client, request, "OK", ["Hello, RPC!"])


@scenario("float")
def _():
    request = send(client, "divide", [1, 4])
    expect(client, request, "OK", [0.25])


@scenario("remote error")
def _():
    request = send(client, "divide", [1, 0])
    name, message, traceback = expect(client, request, "ERR")
    assert (name, message) == ("DivisionByZeroError", "division by zero"), (name, message)
    assert isinstance(traceback, str), "the traceback must be a str"


@scenario("unknown method")
def _():
    request = send(client, "power", [2, 8])
    name, _message, _traceback = expect(client, request, "ERR")
    assert name == "NameError", name


@scenario("stream")
def _():
    request = send(client, "streaming_range", [10, 20, 2])
    expect(client, request, "STREAM", 10)  # one event before any _zpc_more
    send(client, "_zpc_more", [100], response_to=request)
    for item in (12, 14, 16, 18):
        expect(client, request, "STREAM", item)
    expect(client, request, "STREAM_DONE", None)


@scenario("inspect")
def _():
    request = send(client, "_zerorpc_inspect", [])
    [inspection] = expect(client, request, "OK")
    assert inspection["name"] == "calculator", inspection["name"]
    assert sorted(inspection["methods"]) == [
        "add", "divide", "echo", "hello", "multiply", "streaming_range", "subtract",
    ], sorted(inspection["methods"])
    assert inspection["methods"]["add"]["args"] == [{"name": "a"}, {"name": "b"}]


@scenario("int map keys")
def _():
    request = send(client, "echo", [{1: "a", 2: "b", 2**60: "big"}])
    [value] = expect(client, request, "OK", [{1: "a", 2: "b", 2**60: "big"}])
    assert all(isinstance(key, int) for key in value), "keys %r" % list(value)


@scenario("garbage, then a good call")
def _():
    client.send_multipart([b"no delimiter", b"payload"])
    client.send_multipart([b"", b"\xc1"])
    client.send_multipart([b"", msgpack.packb(["not", "an event"], use_bin_type=True)])
    client.send_multipart([b"", msgpack.packb([{"v": 3}, "add", [1, 2]], use_bin_type=True)])
    request = send(client, "add", [2, 2])
    expect(client, request, "OK", [4])


@scenario("many clients, many calls in flight")
def _():
    clients = [dealer(endpoint) for _ in range(5)]
    requests = [[send(c, "multiply", [i, n]) for n in range(20)] for i, c in enumerate(clients)]
    for i, c in enumerate(clients):
        for n, request in enumerate(requests[i]):
            expect(c, request, "OK", [i * n])
        c.close()


@scenario("server heartbeat")
def _():
    fast = dealer(fast_heartbeat_endpoint)
    request = send(fast, "streaming_range", [0, 10, 1])
    expect(fast, request, "STREAM", 0)
    # No _zpc_more: the call stays open, and the server must heartbeat it.
    expect(fast, request, "_zpc_hb", [0])
    fast.close()
