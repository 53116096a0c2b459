# grpcio serving calc.Calculator (solutions/11-grpc/calculator.proto) on $PORT, with messages
# read and written by hand (no generated code):
# `npm run tester 11 -- /usr/bin/python3 interop/tester/11-grpcio-server.py`.
import os
import struct
from concurrent import futures

import grpc

from calculator import add, divide, hello, multiply, subtract


def varint(data, i):
    value, shift = 0, 0
    while True:
        byte = data[i]
        value |= (byte & 0x7F) << shift
        i += 1
        if not byte & 0x80:
            return value, i
        shift += 7


def fields(data):
    """Every field as {number: value}: doubles, varints and length-delimited bytes."""
    out, i = {}, 0
    while i < len(data):
        tag, i = varint(data, i)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            out[number], i = varint(data, i)
        elif wire == 1:
            out[number] = struct.unpack("<d", data[i : i + 8])[0]
            i += 8
        elif wire == 2:
            size, i = varint(data, i)
            out[number] = data[i : i + size]
            i += size
        elif wire == 5:
            i += 4
        else:
            raise ValueError("wire type %d" % wire)
    return out


def zigzag(n):
    return (n >> 1) ^ -(n & 1)


def number(value):
    return b"\x09" + struct.pack("<d", value)


def text(value):
    data = value.encode()
    return b"\x0a" + bytes([len(data)]) + data if len(data) < 128 else b""


def pair_method(function):
    def handle(request, context):
        try:
            pair = fields(request)
        except Exception as error:
            context.abort(grpc.StatusCode.INTERNAL, "cannot read Pair: %s" % error)
        try:
            return number(function(pair.get(1, 0.0), pair.get(2, 0.0)))
        except ZeroDivisionError:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "division by zero")

    return grpc.unary_unary_rpc_method_handler(handle, lambda x: x, lambda x: x)


def say_hello(request, context):
    return text(hello(fields(request).get(1, b"").decode()))


def streaming_range(request, context):
    f = fields(request)
    start, stop, step = (zigzag(f.get(n, 0)) for n in (1, 2, 3))
    if step <= 0:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "step must be positive")
    for n in range(start, stop, step):
        yield number(float(n))


def total(requests, context):
    return number(sum(fields(r).get(1, 0.0) for r in requests))


same = lambda x: x
handlers = {
    "Add": pair_method(add),
    "Subtract": pair_method(subtract),
    "Multiply": pair_method(multiply),
    "Divide": pair_method(divide),
    "Hello": grpc.unary_unary_rpc_method_handler(say_hello, same, same),
    "StreamingRange": grpc.unary_stream_rpc_method_handler(streaming_range, same, same),
    "Sum": grpc.stream_unary_rpc_method_handler(total, same, same),
}
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("calc.Calculator", handlers),))
server.add_insecure_port("127.0.0.1:%s" % os.environ["PORT"])
server.start()
server.wait_for_termination()
