"""The seeds' oslo.messaging: OpenStack's RPC on RabbitMQ (python3-oslo.messaging).

  oslo_peer.py server <transport_url>           an RPC server with the threading executor, on a
                                                topic of its own; prints READY <topic>
  oslo_peer.py client <transport_url> <topic>   one RPCClient shared by every lane, as an
                                                OpenStack service shares one
"""
import os
import signal
import sys
import time
import uuid

from oslo_config import cfg
import oslo_messaging

from closed_loop import exit_with_parent, ready, serve_loops

role, url = sys.argv[1:3]
topic = sys.argv[3] if role == "client" else "bench-" + uuid.uuid4().hex
# oslo reads amqp:// as AMQP 1.0; RabbitMQ's 0-9-1 driver is rabbit://.
url = "rabbit://" + url.split("://", 1)[1]
transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)


class Calculator:
    def add(self, ctxt, a, b):
        return a + b


def server():
    target = oslo_messaging.Target(topic=topic, server="bench")
    rpc = oslo_messaging.get_rpc_server(transport, target, [Calculator()], executor="threading")
    rpc.start()
    ready(topic)
    exit_with_parent()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        time.sleep(3600)


def client():
    rpc = oslo_messaging.get_rpc_client(transport, oslo_messaging.Target(topic=topic))

    def make_add():
        return lambda a, b: rpc.call({}, "add", a=a, b=b)

    serve_loops(make_add)
    # The driver's heartbeat thread would keep the interpreter alive for a while.
    os._exit(0)


server() if role == "server" else client()
