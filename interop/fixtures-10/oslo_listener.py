"""A notification listener with oslo.messaging, for lesson 10's interop tests.

Usage: oslo_listener.py <transport_url> <topic> <count>
Prints "READY" once it consumes, then one JSON line per notification, and exits after <count>.
Its endpoint has every priority; a filter_rule endpoint counts only "compute.instance." events.
"""
import json
import os
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging

url, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
lock = threading.Lock()
seen = []
done = threading.Event()


class Printer:
    def _print(self, priority, ctxt, publisher_id, event_type, payload, metadata):
        with lock:
            print(json.dumps({"priority": priority, "ctxt": ctxt, "publisher_id": publisher_id,
                              "event_type": event_type, "payload": payload,
                              "metadata": metadata}), flush=True)
            seen.append(event_type)
            if len(seen) >= count:
                done.set()


for priority in ("audit", "debug", "info", "warn", "error", "critical", "sample"):
    setattr(Printer, priority,
            lambda self, c, p, e, pl, m, _priority=priority: self._print(_priority, c, p, e, pl, m))


class InstancesOnly:
    filter_rule = oslo_messaging.NotificationFilter(event_type=r"compute\.instance\.")

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        print(json.dumps({"filtered": event_type}), flush=True)


transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
listener = oslo_messaging.get_notification_listener(
    transport, [oslo_messaging.Target(topic=topic)], [InstancesOnly(), Printer()],
    executor="threading")
listener.start()
print("READY", flush=True)
done.wait(60)
time.sleep(0.2)  # let the last acknowledgement go out
listener.stop()
listener.wait()
os._exit(0)
