# A zerorpc server written with pyzmq and msgpack only, the way zerorpc-python answers: a ROUTER
# that replies [identity, b"", msgpack event] with use_bin_type=True and bytes message ids;
# OK [result], ERR [name, message, traceback], STREAM item ... STREAM_DONE nil; one event per
# channel before the client grants more with _zpc_more; _zpc_hb [0] on every open channel.
# It refuses requests that break the protocol with ERR ProtocolError. Prints "READY <endpoint>".
# Maps may have int keys both ways (strict_map_key=False): int_keys returns {1: "a", 2: "b"}.
# With "strict" as the second argument it reads as zerorpc-python does with msgpack >= 1.0
# (strict_map_key=True, the default): a request with an int map key is dropped, and
# refused() lists why.
import sys
import time
import traceback
import uuid

import msgpack
import zmq

HEARTBEAT = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
STRICT = len(sys.argv) > 2 and sys.argv[2] == "strict"
received_heartbeats = 0
refused = []


def streaming_range(start, stop, step):
    for i in range(start, stop, step):
        yield i


METHODS = {
    "add": lambda a, b: a + b,
    "hello": lambda name: "Hello, %s!" % name,
    "divide": lambda a, b: a / b,
    "streaming_range": streaming_range,
    "heartbeats_received": lambda: received_heartbeats,
    "int_keys": lambda: {1: "a", 2: "b"},
    "key_types": lambda value: sorted(type(key).__name__ for key in value),
    "refused": lambda: refused,
}

context = zmq.Context()
socket = context.socket(zmq.ROUTER)
socket.linger = 0
socket.bind("tcp://127.0.0.1:*")
channels = {}  # (identity, message_id) -> state of an open call


def send(identity, response_to, name, args):
    header = {"message_id": uuid.uuid4().hex.encode(), "v": 3, "response_to": response_to}
    socket.send_multipart([identity, b"", msgpack.packb([header, name, args], use_bin_type=True)])


def protocol_problem(header, name, args):
    if not isinstance(header, dict) or header.get("v") != 3:
        return "the header must be a map with v: 3"
    if not isinstance(header.get("message_id"), (str, bytes)):
        return "message_id must be a str or bin"
    if not isinstance(name, str):
        return "the name must be a str"
    if not isinstance(args, list):
        return "the args of a call must be an array"
    return None


def start_call(identity, header, name, args):
    key = (identity, header["message_id"])
    problem = protocol_problem(header, name, args)
    if problem:
        return send(identity, header["message_id"], "ERR", ["ProtocolError", problem, ""])
    if name == "slow":  # answers after args[0] seconds, heartbeating meanwhile
        channels[key] = {"identity": identity, "credit": 1, "due": time.time() + args[0]}
        return
    try:
        if name not in METHODS:
            raise NameError(name)
        result = METHODS[name](*args)
    except Exception as error:
        return send(identity, header["message_id"], "ERR",
                    [type(error).__name__, str(error), traceback.format_exc()])
    if hasattr(result, "__next__"):
        channels[key] = {"identity": identity, "credit": 1, "stream": result}
        pump(key)
    else:
        send(identity, header["message_id"], "OK", [result])


def pump(key):
    """Sends stream items while the client has granted room."""
    state = channels[key]
    while state["credit"] > 0:
        state["credit"] -= 1
        try:
            item = next(state["stream"])
        except StopIteration:
            send(state["identity"], key[1], "STREAM_DONE", None)
            del channels[key]
            return
        send(state["identity"], key[1], "STREAM", item)


print("READY", socket.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)
next_beat = time.time() + HEARTBEAT
while True:
    if socket.poll(int(HEARTBEAT * 1000 / 2)):
        frames = socket.recv_multipart()
        if len(frames) != 3 or frames[1] != b"":
            continue
        identity = frames[0]
        try:
            if STRICT:
                header, name, args = msgpack.unpackb(frames[2], raw=False)
            else:
                header, name, args = msgpack.unpackb(frames[2], raw=False, strict_map_key=False)
        except Exception as error:
            refused.append("%s: %s" % (type(error).__name__, error))
            continue
        response_to = header.get("response_to") if isinstance(header, dict) else None
        if response_to is None:
            start_call(identity, header, name, args)
        elif name == "_zpc_hb":
            received_heartbeats += 1
        elif name == "_zpc_more" and (identity, response_to) in channels:
            channels[(identity, response_to)]["credit"] += int(args[0])
            if "stream" in channels[(identity, response_to)]:
                pump((identity, response_to))
    now = time.time()
    for key, state in list(channels.items()):
        if "due" in state and now >= state["due"]:
            send(state["identity"], key[1], "OK", ["done"])
            del channels[key]
    if now >= next_beat:
        next_beat = now + HEARTBEAT
        for key, state in channels.items():
            send(state["identity"], key[1], "_zpc_hb", [0])
