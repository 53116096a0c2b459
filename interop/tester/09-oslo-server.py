# An oslo.messaging RPC server serving the calculator on the topic "calc", on the broker at
# $AMQP_URL: `npm run tester 9 -- /usr/bin/python3 interop/tester/09-oslo-server.py`.
# oslo passes arguments by name, after the caller's context.
import os
import time

from oslo_config import cfg
import oslo_messaging

import calculator


class CalculatorEndpoint:
    def add(self, ctxt, a, b):
        return calculator.add(a, b)

    def subtract(self, ctxt, a, b):
        return calculator.subtract(a, b)

    def multiply(self, ctxt, a, b):
        return calculator.multiply(a, b)

    def divide(self, ctxt, a, b):
        return calculator.divide(a, b)

    def hello(self, ctxt, name):
        return calculator.hello(name)


url = "rabbit://" + os.environ["AMQP_URL"].split("://", 1)[1]
transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
target = oslo_messaging.Target(topic="calc", server="tester-peer")
server = oslo_messaging.get_rpc_server(
    transport, target, [CalculatorEndpoint()], executor="threading"
)
server.start()
try:
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    pass
server.stop()
server.wait()
