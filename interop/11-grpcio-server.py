"""grpcio as a server for the course's gRPC client: python3 11-grpcio-server.py
Prints "READY <port>". The calculator by hand-written serializers (no generated code): Pair
is fields 1 and 2 as doubles (tags 0x09, 0x11), Number is field 1 as a double (tag 0x09).
"""
import struct
import sys
import time
from concurrent import futures

import grpc


def read_doubles(data):
    """Pair or Number: fixed64 fields, field number from the tag's upper bits."""
    values, i = {}, 0
    while i < len(data):
        tag = data[i]
        if tag & 7 != 1:
            raise ValueError("expected fixed64 fields only")
        values[tag >> 3] = struct.unpack("<d", data[i + 1 : i + 9])[0]
        i += 9
    return values


def number(value):
    return b"\x09" + struct.pack("<d", value)


def add(request, context):
    pair = read_doubles(request)
    return number(pair.get(1, 0.0) + pair.get(2, 0.0))


def divide(request, context):
    pair = read_doubles(request)
    if pair.get(2, 0.0) == 0.0:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "division by zero")
    return number(pair.get(1, 0.0) / pair[2])


def slow(request, context):
    time.sleep(2)
    return number(0.0)


def streaming_range(request, context):
    # Range: three sint64 varints (zigzag), each one byte here
    fields, i = {}, 0
    while i < len(request):
        tag, raw = request[i], request[i + 1]
        fields[tag >> 3] = (raw >> 1) ^ -(raw & 1)
        i += 2
    for n in range(fields.get(1, 0), fields.get(2, 0), fields.get(3, 1) or 1):
        yield number(float(n))


def total(requests, context):
    return number(sum(read_doubles(r).get(1, 0.0) for r in requests))


identity = lambda x: x
handlers = {
    "Add": grpc.unary_unary_rpc_method_handler(add, identity, identity),
    "Divide": grpc.unary_unary_rpc_method_handler(divide, identity, identity),
    "Slow": grpc.unary_unary_rpc_method_handler(slow, identity, identity),
    "StreamingRange": grpc.unary_stream_rpc_method_handler(streaming_range, identity, identity),
    "Sum": grpc.stream_unary_rpc_method_handler(total, identity, identity),
}
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("calc.Calculator", handlers),))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print("READY", port, flush=True)
server.wait_for_termination()
