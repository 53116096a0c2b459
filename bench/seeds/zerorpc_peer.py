"""The seeds' zerorpc, as its protocol runs on the wire: pyzmq and msgpack, the way
zerorpc-python frames it (the zerorpc package itself is not packaged for Debian).

  zerorpc_peer.py server            a ROUTER answering [identity, b"", [header, "OK", [a + b]]];
                                    prints READY <endpoint>
  zerorpc_peer.py client <endpoint> one DEALER per lane, sending [b"", [header, "add", [a, b]]]

Each event is msgpack([{"message_id", "v": 3, "response_to"?}, name, args]) with a fresh
UUID as message_id, as zerorpc-python sends it. Calls are short, so no heartbeats are needed.
"""
import sys
import uuid

import msgpack
import zmq

from closed_loop import exit_with_parent, ready, serve_loops

context = zmq.Context()


def pack(name, args, response_to=None):
    header = {"message_id": uuid.uuid4().hex.encode(), "v": 3}
    if response_to is not None:
        header["response_to"] = response_to
    return msgpack.packb([header, name, args], use_bin_type=True)


def server():
    socket = context.socket(zmq.ROUTER)
    socket.linger = 0
    socket.bind("tcp://127.0.0.1:*")
    ready(socket.getsockopt_string(zmq.LAST_ENDPOINT))
    exit_with_parent()
    while True:
        frames = socket.recv_multipart()
        if len(frames) != 3:
            continue
        header, name, args = msgpack.unpackb(frames[2], raw=False)
        if name != "add" or "response_to" in header:
            continue  # heartbeats and anything else: nothing to answer
        reply = pack("OK", [args[0] + args[1]], header["message_id"])
        socket.send_multipart([frames[0], b"", reply])


def client(endpoint):
    def make_add():
        socket = context.socket(zmq.DEALER)
        socket.linger = 0
        socket.rcvtimeo = 10_000
        socket.connect(endpoint)

        def add(a, b):
            socket.send_multipart([b"", pack("add", [a, b])])
            while True:
                frames = socket.recv_multipart()
                _header, name, args = msgpack.unpackb(frames[-1], raw=False)
                if name == "OK":
                    return args[0]
                if name == "ERR":
                    raise RuntimeError(args)
                # _zpc_hb and the like: keep waiting for the answer

        return add

    serve_loops(make_add)


if sys.argv[1] == "server":
    server()
else:
    client(sys.argv[2])
