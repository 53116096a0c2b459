"""grpcio as a client of the course's gRPC server: python3 11-grpcio-client.py HOST:PORT"""
import struct
import sys

import grpc

pair = lambda a, b: b"\x09" + struct.pack("<d", a) + b"\x11" + struct.pack("<d", b)
def number(data):
    return struct.unpack("<d", data[1:9])[0] if data else 0.0

with grpc.insecure_channel(sys.argv[1]) as channel:
    add = channel.unary_unary("/calc.Calculator/Add", request_serializer=lambda x: x, response_deserializer=number)
    print("add", add(pair(1, 2)))
    divide = channel.unary_unary("/calc.Calculator/Divide", request_serializer=lambda x: x, response_deserializer=number)
    try:
        divide(pair(1, 0))
    except grpc.RpcError as error:
        print("divide", error.code().name, error.details())
    power = channel.unary_unary("/calc.Calculator/Power", request_serializer=lambda x: x, response_deserializer=number)
    try:
        power(pair(1, 0))
    except grpc.RpcError as error:
        print("power", error.code().name)
    srange = channel.unary_stream("/calc.Calculator/StreamingRange", request_serializer=lambda x: x, response_deserializer=number)
    # Range {from: 0, to: 5, step: 2}: sint64, so zigzag: 5 → 0x0a, 2 → 0x04
    print("range", [n for n in srange(b"\x08\x00\x10\x0a\x18\x04")])
    total = channel.stream_unary("/calc.Calculator/Sum", request_serializer=lambda x: x, response_deserializer=number)
    print("sum", total(iter([b"\x09" + struct.pack("<d", v) for v in (1, 2, 3)])))
