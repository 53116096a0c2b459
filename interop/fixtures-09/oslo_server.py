"""An oslo.messaging RPC server for the interop tests of lesson 9.

Usage: oslo_server.py <transport_url> <topic> <server>
Prints "READY <server>" once it consumes. Stopped with SIGTERM.
"""
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging

url, topic, server_name = sys.argv[1:4]


class CalculatorEndpoint:
    """The course calculator, with arguments by name as oslo passes them."""

    def __init__(self):
        self.remembered = []
        self.lock = threading.Lock()

    def add(self, ctxt, a, b):
        return a + b

    def subtract(self, ctxt, a, b):
        return a - b

    def divide(self, ctxt, a, b):
        if b == 0:
            raise ZeroDivisionError("division by zero")
        return a / b

    def hello(self, ctxt, name):
        return "Hello, %s!" % name

    def whoami(self, ctxt):
        return server_name

    def echo_context(self, ctxt):
        return ctxt

    def remember(self, ctxt, value):
        with self.lock:
            self.remembered.append(value)

    def recall(self, ctxt):
        with self.lock:
            return list(self.remembered)


class ControlEndpoint:
    target = oslo_messaging.Target(namespace="control", version="2.0")

    def ping(self, ctxt):
        return "pong from %s" % server_name


transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
target = oslo_messaging.Target(topic=topic, server=server_name)
rpc_server = oslo_messaging.get_rpc_server(
    transport, target, [CalculatorEndpoint(), ControlEndpoint()], executor="threading"
)
rpc_server.start()
print("READY", server_name, flush=True)
try:
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    pass
rpc_server.stop()
rpc_server.wait()
