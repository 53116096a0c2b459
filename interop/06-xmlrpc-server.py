# Python's standard SimpleXMLRPCServer, serving the article's calculate class (lesson 6).
# Usage: python3 06-xmlrpc-server.py single|threaded; prints "READY <port>".
import sys
import threading
from socketserver import ThreadingMixIn
from xmlrpc.server import SimpleXMLRPCServer


class calculate:
    def add(self, x, y):
        """add(x, y) -> x + y"""
        return x + y

    def multiply(self, x, y):
        return x * y

    def subtract(self, x, y):
        # The article's subtract: the distance between x and y.
        return abs(x - y)

    def divide(self, x, y):
        return x / y

    def echo(self, *values):
        return list(values)


class ThreadXMLRPCServer(ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True


released = threading.Event()


def wait():
    """Returns True once release() was called, False after 3 seconds."""
    return released.wait(3)


def release():
    released.set()
    return "released"


kind = ThreadXMLRPCServer if sys.argv[1:] == ["threaded"] else SimpleXMLRPCServer
server = kind(
    ("127.0.0.1", 0), allow_none=True, use_builtin_types=True, logRequests=False
)
server.register_instance(calculate())
server.register_function(wait)
server.register_function(release)
server.register_introspection_functions()
server.register_multicall_functions()
print("READY", server.server_address[1], flush=True)
server.serve_forever()
