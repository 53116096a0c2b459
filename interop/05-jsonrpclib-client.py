# The Python peer of interop/05-json-rpc.test.ts: jsonrpclib's ServerProxy calls the server at
# sys.argv[1] and prints what it got as one JSON object.
import json
import sys

import jsonrpclib
from jsonrpclib.jsonrpc import ProtocolError, TransportError

proxy = jsonrpclib.ServerProxy(sys.argv[1])


def error_of(call):
    """The (code, message) of the JSON-RPC error a call raises."""
    try:
        call()
    except ProtocolError as error:
        return list(error.args[0][:2])
    return None


out = {
    "add": proxy.add(1, 2),
    "keywords": proxy.subtract(b=3, a=5),
    "hello": proxy.hello("世界"),
    "echo": proxy.echo({"list": [1, 2.5, None, True], "text": "naïve"}),
    "divide": error_of(lambda: proxy.divide(1, 0)),
    "unknown": error_of(lambda: proxy.power(2, 8)),
    "inherited": error_of(lambda: proxy.constructor()),
    "bad_params": error_of(lambda: proxy.add("1", 2)),
}

batch = jsonrpclib.MultiCall(proxy)
batch.add(1, 2)
batch.multiply(6, 7)
batch.hello("Ada")
out["batch"] = list(batch())

# jsonrpclib's transport accepts only a 200, and reads its body even for a notification.
try:
    out["notify"] = proxy._notify.note("from python")
except TransportError as error:
    out["notify"] = ["TransportError", error.errcode]
# The same proxy, the same connection: the notification's reply must have been read whole.
out["noted"] = proxy.noted()

print(json.dumps(out))
