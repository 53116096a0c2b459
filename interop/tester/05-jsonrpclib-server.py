# jsonrpclib's own JSON-RPC 2.0 server, serving the calculator on $PORT, as
# `npm run tester 5 -- /usr/bin/python3 interop/tester/05-jsonrpclib-server.py` runs it.
import os

from jsonrpclib.SimpleJSONRPCServer import PooledJSONRPCServer
from jsonrpclib.threadpool import ThreadPool

from calculator import FUNCTIONS

PooledJSONRPCServer.request_queue_size = 64  # twenty clients at once, none dropped
pool = ThreadPool(max_threads=8, min_threads=2)
pool.start()
server = PooledJSONRPCServer(
    ("127.0.0.1", int(os.environ["PORT"])), logRequests=False, thread_pool=pool
)
for function in FUNCTIONS:
    server.register_function(function)
try:
    server.serve_forever()
finally:
    pool.stop()
