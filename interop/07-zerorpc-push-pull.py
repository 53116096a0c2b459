# zerorpc's Pusher and Puller written with pyzmq and msgpack only: each event is one frame,
# msgpack.packb([header, name, args], use_bin_type=True) with a bytes message id, over PUSH/PULL,
# and nothing ever comes back.
#
#   push <endpoint>       connects a PUSH socket and sends add(1, 2), bytes that are not msgpack,
#                         power(2, 8), _private(), key_types({1: "a", 2: "b"}), then
#                         hello("Python"); exits once ZeroMQ has delivered them all.
#   pull <endpoint> <n>   connects a PULL socket, receives n events and prints one JSON line for
#                         each: {"name", "args": repr(args), "ok", "detail"}, ok when the bytes
#                         are what zerorpc-python would have packed in their place.
import json
import sys
import uuid

import msgpack
import zmq

mode, endpoint = sys.argv[1], sys.argv[2]
context = zmq.Context()


def event(name, args):
    header = {"message_id": uuid.uuid4().hex.encode(), "v": 3}
    return msgpack.packb([header, name, args], use_bin_type=True)


if mode == "push":
    socket = context.socket(zmq.PUSH)
    socket.linger = 5000  # close() waits, at most this long, until every event is delivered
    socket.connect(endpoint)
    socket.send(event("add", [1, 2]))
    socket.send(b"\xc1")
    socket.send(event("power", [2, 8]))
    socket.send(event("_private", []))
    socket.send(event("key_types", [{1: "a", 2: "b"}]))
    socket.send(event("hello", ["Python"]))
    socket.close()
else:
    socket = context.socket(zmq.PULL)
    socket.linger = 0
    socket.rcvtimeo = 10000
    socket.connect(endpoint)
    for _ in range(int(sys.argv[3])):
        frames = socket.recv_multipart()
        problems = []
        if len(frames) != 1:
            problems.append("%d frames, zerorpc sends one" % len(frames))
        header, name, args = msgpack.unpackb(frames[-1], raw=False, strict_map_key=False)
        if list(header.keys()) != ["message_id", "v"] or header["v"] != 3:
            problems.append("header %r" % header)
        reference = msgpack.packb(
            [{"message_id": header.get("message_id"), "v": 3}, name, args], use_bin_type=True
        )
        if not problems and frames[-1] != reference:
            problems.append("bytes %s, zerorpc-python would send %s" % (frames[-1].hex(), reference.hex()))
        print(json.dumps({"name": name, "args": repr(args), "ok": not problems,
                          "detail": "; ".join(problems)}), flush=True)
    socket.close()
context.term()
