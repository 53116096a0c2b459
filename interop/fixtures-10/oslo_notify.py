"""Sends notifications with oslo.messaging's Notifier (messagingv2), for lesson 10's interop tests.

Usage: oslo_notify.py <transport_url> <topic> <notifications as JSON>
Each: {"priority": "info", "publisher_id": ..., "event_type": ..., "payload": ..., "ctxt": {...}}
"""
import json
import os
import sys

from oslo_config import cfg
import oslo_messaging

url, topic, items = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])

transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
notifier = oslo_messaging.Notifier(transport, driver="messagingv2", topics=[topic])
for item in items:
    prepared = notifier.prepare(publisher_id=item["publisher_id"])
    getattr(prepared, item["priority"])(item.get("ctxt", {}), item["event_type"], item["payload"])
print("SENT", len(items), flush=True)
transport.cleanup()
# The driver's heartbeat thread would hold the interpreter for another ten seconds.
os._exit(0)
