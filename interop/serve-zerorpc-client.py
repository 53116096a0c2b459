# A zerorpc call with pyzmq and msgpack only, as zerorpc-python frames it: a DEALER sends
# [b"", msgpack([{"message_id", "v": 3}, name, args])] and reads events until OK or ERR,
# skipping heartbeats. Calls argv[2] with the JSON array argv[3] at argv[1]; prints the result
# as JSON, or "ERR <name>: <message>".
import json
import sys
import uuid

import msgpack
import zmq

endpoint, method, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
socket = zmq.Context().socket(zmq.DEALER)
socket.linger = 0
socket.rcvtimeo = 10000
socket.connect(endpoint)
message_id = uuid.uuid4().hex.encode()
header = {"message_id": message_id, "v": 3}
socket.send_multipart([b"", msgpack.packb([header, method, args], use_bin_type=True)])
while True:
    frames = socket.recv_multipart()
    _, name, reply = msgpack.unpackb(frames[-1], raw=False)
    if name == "OK":
        print(json.dumps(reply[0]))
        break
    if name == "ERR":
        print("ERR %s: %s" % (reply[0], reply[1]))
        break
