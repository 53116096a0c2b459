# The Python peer of interop/05-json-rpc.test.ts: jsonrpclib's own server, with a thread pool
# as in the article. Binds port 0 and prints "READY <port>" once it serves.
from jsonrpclib.SimpleJSONRPCServer import PooledJSONRPCServer
from jsonrpclib.threadpool import ThreadPool

notes = []


def add(a, b):
    return a + b


def subtract(a, b):
    return a - b


def divide(a, b):
    return a / b  # 1 / 0 raises ZeroDivisionError


def hello(name):
    return "Hello, %s!" % name


def echo(value):
    return value


def note(text):
    notes.append(text)


def noted():
    return notes


# socketserver listens with a backlog of 5: twenty clients connecting at once would see their
# SYNs dropped and retried a second later. A real deployment raises it, and so do we.
PooledJSONRPCServer.request_queue_size = 64

pool = ThreadPool(max_threads=8, min_threads=2)
pool.start()
server = PooledJSONRPCServer(("127.0.0.1", 0), logRequests=False, thread_pool=pool)
for function in (add, subtract, divide, hello, echo, note, noted):
    server.register_function(function)

print("READY", server.server_address[1], flush=True)
try:
    server.serve_forever()
finally:
    pool.stop()
