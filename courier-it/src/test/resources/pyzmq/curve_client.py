#!/usr/bin/env python3
"""An MDP/0.1 client (ZeroMQ RFC 7) on pyzmq/libzmq with CURVE security (RFC 26), for Courier's security tests.

Sends one request BODY to SERVICE through the broker at ENDPOINT. With --server-key and --cert (a ZeroMQ
certificate file holding public-key and secret-key, as `courier keygen` or CZMQ writes it) the socket is a CURVE
client; without them it is plain. It watches its socket's monitor events so that a refusal shows at once.

Exit codes: 0 got the reply (printed as "reply: <text>"), 2 usage, 3 no reply in time, 4 refused by the broker
(the monitor reported a failed handshake).
"""
import argparse
import re
import sys

import zmq
import zmq.utils.monitor

MDPC01 = b"MDPC01"


def read_cert(path):
    """The public and secret keys of a ZeroMQ certificate file (ZPL text)."""
    keys = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r'\s+(public-key|secret-key)\s*=\s*"(.{40})"', line)
            if m:
                keys[m.group(1)] = m.group(2).encode("ascii")
    return keys["public-key"], keys["secret-key"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("service")
    parser.add_argument("body")
    parser.add_argument("--server-key")
    parser.add_argument("--cert")
    parser.add_argument("--timeout-ms", type=int, default=3000)
    args = parser.parse_args()

    ctx = zmq.Context()
    socket = ctx.socket(zmq.DEALER)
    socket.linger = 0
    if args.server_key:
        public, secret = read_cert(args.cert)
        socket.curve_serverkey = args.server_key.encode("ascii")
        socket.curve_publickey = public
        socket.curve_secretkey = secret
    monitor = socket.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                                        | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL)
    socket.connect(args.endpoint)
    socket.send_multipart([b"", MDPC01, args.service.encode(), args.body.encode()])
    poller = zmq.Poller()
    poller.register(socket, zmq.POLLIN)
    poller.register(monitor, zmq.POLLIN)
    events = dict(poller.poll(args.timeout_ms))
    if monitor in events:
        event = zmq.utils.monitor.recv_monitor_message(monitor)
        print("refused: event=%d value=%d" % (event["event"], event["value"]), flush=True)
        return 4
    if socket in events:
        frames = socket.recv_multipart()
        print("reply: " + frames[-1].decode(), flush=True)
        return 0
    print("no reply timeoutMs=%d" % args.timeout_ms, flush=True)
    return 3


if __name__ == "__main__":
    sys.exit(main())
