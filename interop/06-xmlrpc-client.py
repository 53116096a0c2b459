# Python's standard xmlrpc.client calling the course's XML-RPC server (lesson 6).
# Usage: python3 06-xmlrpc-client.py <url>; prints one JSON object of what it saw.
import datetime
import json
import sys
import threading
import urllib.request
import xmlrpc.client

url = sys.argv[1]
proxy = xmlrpc.client.ServerProxy(url, allow_none=True, use_builtin_types=True)
seen = {}


def plain(value):
    """What Python received, as JSON: type names kept, so the test can check them."""
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, float):
        return ["float", value]
    if isinstance(value, str):
        return ["str", value]
    if value is None:
        return ["None", None]
    if isinstance(value, datetime.datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, bytes):
        return ["bytes", value.hex()]
    if isinstance(value, list):
        return ["list", [plain(item) for item in value]]
    if isinstance(value, dict):
        return ["dict", {key: plain(item) for key, item in value.items()}]
    return [type(value).__name__, repr(value)]


def fault(call):
    try:
        call()
        return None
    except xmlrpc.client.Fault as error:
        return [error.faultCode, error.faultString]


seen["add"] = proxy.add(2, 3)
seen["subtract"] = proxy.subtract(2, 3)
seen["divide"] = proxy.divide(2, 4)
seen["hello"] = proxy.hello("世界 🌍")

sent = [
    7,
    -(2**31),
    2.5,
    2.0,
    True,
    "a < b & c > d",
    None,
    datetime.datetime(1998, 7, 17, 14, 8, 55),
    b"\x00\xffbytes",
    [1, [2, "three"]],
    {"name": "Ada", "born": 1815, "__proto__": "just a key"},
]
seen["echo"] = plain(proxy.echo(*sent))
seen["kinds"] = proxy.kinds(*sent)

seen["divide_by_zero"] = fault(lambda: proxy.divide(1, 0))
seen["unknown"] = fault(lambda: proxy.power(2, 3))
seen["inherited"] = fault(lambda: getattr(proxy, "constructor")())
seen["bad_params"] = fault(lambda: proxy.add("1", 2))

calls = xmlrpc.client.MultiCall(proxy)
calls.add(1, 2)
calls.divide(1, 0)
calls.hello("Ada")
seen["multicall"] = calls().results

seen["listMethods"] = proxy.system.listMethods()
seen["methodHelp"] = proxy.system.methodHelp("add")
seen["methodSignature"] = proxy.system.methodSignature("add")

# A hostile document, posted by hand: our server answers with a fault Python can read.
laughs = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b"<methodCall><methodName>hello</methodName><params><param><value>&b;</value>"
    b"</param></params></methodCall>"
)
request = urllib.request.Request(url, data=laughs, headers={"Content-Type": "text/xml"})
with urllib.request.urlopen(request) as reply:
    seen["doctype"] = fault(lambda: xmlrpc.client.loads(reply.read()))

# Two Python threads at once: one waits until the other releases it.
results = {}


def call(name):
    own = xmlrpc.client.ServerProxy(url, allow_none=True)
    results[name] = getattr(own, name)()


waiter = threading.Thread(target=call, args=("wait",))
waiter.start()
call("release")
waiter.join(10)
seen["concurrent"] = results

print(json.dumps(seen))
