"""The seeds' XML-RPC: Python's standard library, as the articles run it.

  xmlrpc_peer.py server [--threading]   SimpleXMLRPCServer (one request at a time, or a thread
                                         per connection with ThreadingMixIn); prints READY <url>
  xmlrpc_peer.py client <url>            xmlrpc.client.ServerProxy, one per lane
"""
import socketserver
import sys
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCServer

from closed_loop import exit_with_parent, ready, serve_loops


# socketserver listens with a backlog of 5: with 64 clients connecting at once, the kernel
# would drop connections and the row would measure SYN retries instead of XML-RPC.
class QueuedXMLRPCServer(SimpleXMLRPCServer):
    request_queue_size = 128


class ThreadingXMLRPCServer(socketserver.ThreadingMixIn, QueuedXMLRPCServer):
    daemon_threads = True


def server(threading):
    kind = ThreadingXMLRPCServer if threading else QueuedXMLRPCServer
    with kind(("127.0.0.1", 0), logRequests=False, allow_none=True) as rpc:
        rpc.register_function(lambda a, b: a + b, "add")
        ready("http://127.0.0.1:%d/RPC2" % rpc.server_address[1])
        exit_with_parent()
        rpc.serve_forever()


def client(url):
    def make_add():
        proxy = xmlrpc.client.ServerProxy(url)
        return lambda a, b: proxy.add(a, b)

    serve_loops(make_add)


if sys.argv[1] == "server":
    server("--threading" in sys.argv)
else:
    client(sys.argv[2])
