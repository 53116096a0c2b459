"""An oslo.messaging RPC client for the interop tests of lesson 9.

Usage: oslo_client.py <transport_url> <topic> <steps as JSON> [allowed_remote_exmods, comma-separated]
Each step: {"op": "call" | "cast", "method": ..., "args": {...}, "ctxt": {...},
            "server": ..., "fanout": ..., "version": ..., "namespace": ..., "timeout": ...}
Prints one JSON line per step: {"result": ...} or {"error": {"class": ..., ...}}.
"""
import json
import os
import sys

from oslo_config import cfg
import oslo_messaging

url, topic, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
# Modules whose exceptions this caller rebuilds as their own classes (besides builtins).
allowed = [m for m in (sys.argv[4] if len(sys.argv) > 4 else "").split(",") if m]

transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url, allowed_remote_exmods=allowed)
client = oslo_messaging.get_rpc_client(transport, oslo_messaging.Target(topic=topic))

for step in steps:
    prepared = client.prepare(
        **{k: step[k] for k in ("server", "fanout", "version", "namespace", "timeout", "call_monitor_timeout") if k in step}
    )
    ctxt = step.get("ctxt", {})
    try:
        if step["op"] == "call":
            result = prepared.call(ctxt, step["method"], **step.get("args", {}))
        else:
            result = prepared.cast(ctxt, step["method"], **step.get("args", {}))
        print(json.dumps({"result": result}), flush=True)
    except oslo_messaging.RemoteError as e:
        print(json.dumps({"error": {"class": "RemoteError", "exc_type": e.exc_type,
                                    "value": e.value}}), flush=True)
    except Exception as e:
        print(json.dumps({"error": {"class": type(e).__name__, "message": str(e).split("\n")[0]}}),
              flush=True)

transport.cleanup()
# The driver's heartbeat thread would hold the interpreter for another ten seconds.
sys.stdout.flush()
os._exit(0)
