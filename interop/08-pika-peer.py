# The seed article's pika producer and consumer, as peers of lesson 8:
#   produce URL QUEUE JOBS          publishes each job of the JSON list: persistent, JSON
#   consume URL QUEUE COUNT         takes COUNT jobs with manual acks (prefetch 1), one JSON line each
#   take-and-die URL QUEUE          takes one job, prints "READY <job>", never acks; kill it
#   publish URL EXCHANGE TYPE PAIRS publishes each [routing key, event] of the JSON list
#   subscribe URL EXCHANGE TYPE KEYS COUNT
#                                   binds an exclusive queue by each key of the JSON list, prints
#                                   "READY", then one JSON line per event until COUNT
# Queues are declared as lesson 8 declares them (durable, dead-lettered to QUEUE.dead): a
# declaration with other arguments would be refused by the broker.
import json
import sys
import time

import pika

mode, url = sys.argv[1], sys.argv[2]
connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()


def declare_work_queue(queue):
    dead = queue + ".dead"
    channel.queue_declare(dead, durable=True)
    channel.queue_declare(queue, durable=True, arguments={
        "x-dead-letter-exchange": "",
        "x-dead-letter-routing-key": dead,
    })


def report(method, properties, body):
    print(json.dumps({
        "job": json.loads(body),
        "content_type": properties.content_type,
        "persistent": properties.delivery_mode == 2,
        "redelivered": method.redelivered,
        "routing_key": method.routing_key,
    }), flush=True)


if mode == "produce":
    queue, jobs = sys.argv[3], json.loads(sys.argv[4])
    declare_work_queue(queue)
    channel.confirm_delivery()  # basic_publish returns once the broker has the job
    for job in jobs:
        channel.basic_publish("", queue, json.dumps(job).encode(), pika.BasicProperties(
            content_type="application/json",
            delivery_mode=2,  # persistent
        ))
elif mode == "consume":
    queue, count = sys.argv[3], int(sys.argv[4])
    declare_work_queue(queue)
    channel.basic_qos(prefetch_count=1)
    seen = 0
    for method, properties, body in channel.consume(queue, inactivity_timeout=15):
        if method is None:
            sys.exit("no job within 15 s")
        report(method, properties, body)
        channel.basic_ack(method.delivery_tag)
        seen += 1
        if seen == count:
            break
    channel.cancel()
elif mode == "take-and-die":
    queue = sys.argv[3]
    declare_work_queue(queue)
    channel.basic_qos(prefetch_count=1)
    for method, properties, body in channel.consume(queue):
        print("READY", body.decode(), flush=True)
        while True:  # holds the job unacked until killed
            time.sleep(1)
elif mode == "publish":
    exchange, kind, pairs = sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
    channel.exchange_declare(exchange, kind, durable=False)
    for key, event in pairs:
        channel.basic_publish(exchange, key, json.dumps(event).encode(),
                              pika.BasicProperties(content_type="application/json"))
elif mode == "subscribe":
    exchange, kind, keys, count = sys.argv[3], sys.argv[4], json.loads(sys.argv[5]), int(sys.argv[6])
    channel.exchange_declare(exchange, kind, durable=False)
    queue = channel.queue_declare("", exclusive=True).method.queue
    for key in keys:
        channel.queue_bind(queue, exchange, routing_key=key)
    print("READY", queue, flush=True)
    seen = 0
    for method, properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=15):
        if method is None:
            sys.exit("no event within 15 s")
        report(method, properties, body)
        seen += 1
        if seen == count:
            break
    channel.cancel()
else:
    sys.exit("unknown mode " + mode)
connection.close()
