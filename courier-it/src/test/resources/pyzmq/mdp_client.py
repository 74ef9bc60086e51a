#!/usr/bin/env python3
"""An MDP/0.1 client (ZeroMQ RFC 7) on pyzmq/libzmq, for Courier's interoperability tests.

Sends one request (BODY frames) to SERVICE through the broker at ENDPOINT, --count times in a row, and prints
each reply frame on its own line as "reply: <text>". On a timeout it reconnects and resends, up to --retries
times, as the RFC's reliable client does.

Exit codes: 0 every request got a reply, 2 usage, 3 no reply after all retries, 4 the reply broke the protocol.
"""
import argparse
import sys

import zmq

MDPC01 = b"MDPC01"


class ProtocolError(Exception):
    pass


def request(ctx, endpoint, service, body, timeout_ms, retries):
    """Returns the reply body frames, or None when every attempt timed out."""
    for attempt in range(retries + 1):
        socket = ctx.socket(zmq.DEALER)
        socket.linger = 0
        socket.connect(endpoint)
        try:
            socket.send_multipart([b"", MDPC01, service] + body)
            if socket.poll(timeout_ms, zmq.POLLIN):
                frames = socket.recv_multipart()
                if len(frames) < 3 or frames[0] != b"" or frames[1] != MDPC01:
                    raise ProtocolError("bad reply header: %r" % frames[:3])
                if frames[2] != service:
                    raise ProtocolError("reply for service %r, asked %r" % (frames[2], service))
                return frames[3:]
            print("no reply attempt=%d timeoutMs=%d" % (attempt + 1, timeout_ms), flush=True)
        finally:
            socket.close(linger=0)
    return None


def main():
    parser = argparse.ArgumentParser(description="MDP/0.1 client")
    parser.add_argument("endpoint")
    parser.add_argument("service")
    parser.add_argument("body", nargs="*", help="request body frames (UTF-8)")
    parser.add_argument("--timeout-ms", type=int, default=2500, help="per attempt")
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--count", type=int, default=1, help="requests to send one after the other")
    args = parser.parse_args()

    ctx = zmq.Context()
    code = 0
    try:
        for i in range(args.count):
            body = [frame.encode() for frame in args.body]
            reply = request(ctx, args.endpoint, args.service.encode(), body, args.timeout_ms, args.retries)
            if reply is None:
                print("timeout request=%d" % (i + 1), flush=True)
                code = 3
                break
            for frame in reply:
                print("reply: %s" % frame.decode("utf-8", "replace"), flush=True)
    except ProtocolError as e:
        print("protocol error: %s" % e, flush=True)
        code = 4
    ctx.term()
    return code


if __name__ == "__main__":
    sys.exit(main())
