# grpcio calling `npm run serve -- grpc://…`: python3 serve-grpcio-client.py HOST:PORT PATH JSON
# PATH is /calc.Calculator/Add (JSON [a, b] becomes calculator.proto's Pair, the reply's Number
# is printed) or /course.Module/<name> (JSON [args...] goes in Arguments.json, field 1, and
# Result.json is printed). A failure prints "STATUS <code name>: <details>".
import json
import struct
import sys

import grpc


def varint(n):
    out = b""
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out += bytes([byte | 0x80])
        else:
            return out + bytes([byte])


def json_field(text):
    data = text.encode()
    return b"\x0a" + varint(len(data)) + data


def read_json_field(data):
    # field 1, wire type 2: key 0x0a, a varint length, the bytes
    if not data:
        return ""
    assert data[0] == 0x0A, data
    length, shift, i = 0, 0, 1
    while True:
        length |= (data[i] & 0x7F) << shift
        shift += 7
        i += 1
        if not data[i - 1] & 0x80:
            break
    return data[i:i + length].decode()


target, path, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with grpc.insecure_channel(target) as channel:
    if path.startswith("/calc.Calculator/"):
        request = b"\x09" + struct.pack("<d", args[0]) + b"\x11" + struct.pack("<d", args[1])
        reply = lambda data: struct.unpack("<d", data[1:9])[0] if data else 0.0
    else:
        request = json_field(json.dumps(args))
        reply = read_json_field
    method = channel.unary_unary(path, request_serializer=lambda x: x, response_deserializer=reply)
    try:
        print(method(request, timeout=10))
    except grpc.RpcError as error:
        print("STATUS %s: %s" % (error.code().name, error.details()))
