"""Child process for tests/unit/test_embedded_transport.py.

Runs one role against a ``sqlite-lease://`` broker and prints JSON lines on
stdout so the parent can follow along:

    publish URL QUEUE N [--exchange E --key K]   -> {"published": N, "seconds": s}
    consume URL QUEUE [--bind E:TYPE:KEY] [--count N] [--idle S] [--hang]
        -> {"ready": true}, then {"i": .., "redelivered": .., "pid": ..} per message,
           then {"consumed": n, "seconds": s} (first to last message).
           --hang: after --count messages stop acking and sleep (to be SIGKILLed).
           --work S: sleep S seconds per message before the ack.
"""
import argparse
import json
import os
import socket
import sys
import time

from kombu import Connection, Consumer, Exchange, Producer, Queue

import queues.embedded  # noqa: F401  (registers the sqlite-lease:// alias)


def say(**kw):
    print(json.dumps(kw), flush=True)


def publish(args, conn):
    producer = Producer(conn.default_channel)
    if args.exchange:  # by name only: this process never declares the exchange
        target = dict(exchange=args.exchange, routing_key=args.key)
    else:
        target = dict(routing_key=args.queue)
    start = time.perf_counter()
    for i in range(args.n):
        producer.publish({"i": i}, **target)
    say(published=args.n, seconds=time.perf_counter() - start)


def consume(args, conn):
    if args.bind:
        name, type_, key = args.bind.split(":")
        queue = Queue(args.queue, Exchange(name, type_), routing_key=key)
    else:
        queue = Queue(args.queue)
    got, first, last = 0, None, None

    def on_message(body, message):
        nonlocal got, first, last
        got += 1
        first = first or time.perf_counter()
        last = time.perf_counter()
        say(i=body["i"], redelivered=message.delivery_info["redelivered"], pid=os.getpid())
        if args.hang and got >= args.count:
            time.sleep(3600)  # holding the lease, never acking: waiting for SIGKILL
        if args.work:
            time.sleep(args.work)  # simulated handling time
        message.ack()

    with Consumer(conn.default_channel, [queue], callbacks=[on_message]):
        say(ready=True)
        deadline = time.monotonic() + args.max_wait
        while not args.count or got < args.count:
            try:
                conn.drain_events(timeout=args.idle)
            except socket.timeout:
                # Stop when idle, but only once something arrived (or too late).
                if got or time.monotonic() > deadline:
                    break
    say(consumed=got, seconds=(last - first) if got else 0.0)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["publish", "consume"])
    parser.add_argument("url")
    parser.add_argument("queue")
    parser.add_argument("n", type=int, nargs="?", default=0)
    parser.add_argument("--exchange")
    parser.add_argument("--key")
    parser.add_argument("--bind")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--idle", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=15.0)
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--work", type=float, default=0.0)
    parser.add_argument("--lease", type=float, default=2.0)
    args = parser.parse_args()
    opts = {"lease_seconds": args.lease, "polling_interval": 0.02}
    with Connection(args.url, transport_options=opts) as conn:
        (publish if args.role == "publish" else consume)(args, conn)


if __name__ == "__main__":
    sys.exit(main())
