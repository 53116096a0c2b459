# Python's standard SimpleXMLRPCServer serving the calculator on $PORT, with introspection and
# system.multicall: `npm run tester 6 -- /usr/bin/python3 interop/tester/06-xmlrpc-server.py`.
import os
from xmlrpc.server import SimpleXMLRPCServer

from calculator import FUNCTIONS

server = SimpleXMLRPCServer(
    ("127.0.0.1", int(os.environ["PORT"])), allow_none=True, logRequests=False
)
for function in FUNCTIONS:
    server.register_function(function)
server.register_introspection_functions()
server.register_multicall_functions()
server.serve_forever()
