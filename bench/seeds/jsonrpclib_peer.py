"""The seeds' JSON-RPC: jsonrpclib (python3-jsonrpclib-pelix), as the articles use it.

  jsonrpclib_peer.py server [--pooled]   SimpleJSONRPCServer, or PooledJSONRPCServer (a pool
                                          of threads); prints READY <url>
  jsonrpclib_peer.py client <url>         jsonrpclib.ServerProxy, one per lane
"""
import sys

import jsonrpclib
from jsonrpclib.SimpleJSONRPCServer import PooledJSONRPCServer, SimpleJSONRPCServer

from closed_loop import exit_with_parent, ready, serve_loops


# A backlog of 128 rather than socketserver's 5, as for xmlrpc_peer.py.
class QueuedServer(SimpleJSONRPCServer):
    request_queue_size = 128


class QueuedPooledServer(PooledJSONRPCServer):
    request_queue_size = 128


def server(pooled):
    kind = QueuedPooledServer if pooled else QueuedServer
    rpc = kind(("127.0.0.1", 0), logRequests=False)
    rpc.register_function(lambda a, b: a + b, "add")
    ready("http://127.0.0.1:%d/" % rpc.server_address[1])
    exit_with_parent()
    rpc.serve_forever()


def client(url):
    def make_add():
        proxy = jsonrpclib.ServerProxy(url)
        return lambda a, b: proxy.add(a, b)

    serve_loops(make_add)


if sys.argv[1] == "server":
    server("--pooled" in sys.argv)
else:
    client(sys.argv[2])
