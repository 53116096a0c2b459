# A zerorpc server written with pyzmq and msgpack, the way zerorpc-python answers, serving the
# calculator on $PORT: `npm run tester 7 -- /usr/bin/python3 interop/tester/07-zerorpc-server.py`.
# A ROUTER reads [identity, "", msgpack [header, name, args]] and answers OK [result] or
# ERR [name, message, traceback] with response_to = the call's message_id; it drops garbage.
import os
import traceback
import uuid

import msgpack
import zmq

from calculator import FUNCTIONS

METHODS = {function.__name__: function for function in FUNCTIONS}

socket = zmq.Context().socket(zmq.ROUTER)
socket.linger = 0
socket.bind("tcp://127.0.0.1:%s" % os.environ["PORT"])


def reply(identity, to, name, args):
    header = {"message_id": uuid.uuid4().hex.encode(), "v": 3, "response_to": to}
    socket.send_multipart([identity, b"", msgpack.packb([header, name, args], use_bin_type=True)])


while True:
    frames = socket.recv_multipart()
    if len(frames) != 3 or frames[1] != b"":
        continue
    try:
        header, name, args = msgpack.unpackb(frames[2], raw=False)
        message_id = header["message_id"]
    except Exception:
        continue  # not an event: dropped, as zerorpc does
    if header.get("response_to") is not None:
        continue  # a heartbeat or _zpc_more for a call that is over
    if not isinstance(args, list) or not isinstance(name, str):
        reply(frames[0], message_id, "ERR", ["ProtocolError", "args must be an array", ""])
        continue
    try:
        if name not in METHODS:
            raise NameError("no method %s" % name)
        result = METHODS[name](*args)
    except Exception as error:
        reply(frames[0], message_id, "ERR", [type(error).__name__, str(error), traceback.format_exc()])
        continue
    reply(frames[0], message_id, "OK", [result])
