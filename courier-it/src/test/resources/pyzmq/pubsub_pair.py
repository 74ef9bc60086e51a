#!/usr/bin/env python3
"""A plain ZeroMQ PUB and SUB on pyzmq/libzmq, both through the Courier broker, for the streams interop test.

Connects a SUB (subscribed to PREFIX) to the broker's subscribe endpoint and a PUB to its publish endpoint,
sends probes until the SUB hears one (so neither side is a slow joiner), then publishes the fixed messages below
and prints every message the SUB receives as one line: its frames in hex, joined by ':'.

Exit codes: 0 every message was received, 2 usage, 3 timeout.
"""
import sys
import time

import zmq

MESSAGES = [
    [b"interop.multi", b"\x00\x01\x02", b"tail"],
    [b"interop.single payload with spaces"],
    [b"interop.binary", bytes(range(256))],
    [b"interop.multi", b"", b"second"],
]


def main():
    if len(sys.argv) != 4:
        print("usage: pubsub_pair.py PUBLISH_ENDPOINT SUBSCRIBE_ENDPOINT PREFIX", file=sys.stderr)
        return 2
    publish, subscribe, prefix = sys.argv[1], sys.argv[2], sys.argv[3].encode()
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.linger = 0
    sub.setsockopt(zmq.SUBSCRIBE, prefix)
    sub.setsockopt(zmq.SUBSCRIBE, b"probe")
    sub.connect(subscribe)
    pub = ctx.socket(zmq.PUB)
    pub.linger = 1000
    pub.connect(publish)
    deadline = time.monotonic() + 10
    while True:
        pub.send_multipart([b"probe", b"x"])
        if sub.poll(100, zmq.POLLIN):
            sub.recv_multipart()
            break
        if time.monotonic() > deadline:
            print("timeout waiting for a probe", file=sys.stderr)
            return 3
    while sub.poll(200, zmq.POLLIN):   # drain the other probes
        sub.recv_multipart()
    for message in MESSAGES:
        pub.send_multipart(message)
    received = 0
    while received < len(MESSAGES):
        if not sub.poll(5000, zmq.POLLIN):
            print("timeout: received %d of %d" % (received, len(MESSAGES)), file=sys.stderr)
            return 3
        frames = sub.recv_multipart()
        if frames[0] == b"probe":
            continue
        print(":".join(f.hex() for f in frames), flush=True)
        received += 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
