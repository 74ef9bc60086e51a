#!/usr/bin/env python3
"""An MDP/0.1 worker (ZeroMQ RFC 7) on pyzmq/libzmq, for Courier's interoperability tests.

Registers SERVICE with the broker at ENDPOINT and answers every request with its body (all frames, optionally
with a prefix and an extra frame), heartbeating and reconnecting as RFC 7 says.

Exit codes: 0 served --requests requests (or ran until --timeout when --requests is 0), 2 usage,
3 --timeout passed before --requests were served, 4 the broker broke the protocol.
"""
import argparse
import sys
import time

import zmq

MDPW01 = b"MDPW01"
READY, REQUEST, REPLY, HEARTBEAT, DISCONNECT = b"\x01", b"\x02", b"\x03", b"\x04", b"\x05"


class ProtocolError(Exception):
    pass


class Worker:
    def __init__(self, ctx, endpoint, service, heartbeat_ms, liveness):
        self.ctx = ctx
        self.endpoint = endpoint
        self.service = service.encode()
        self.heartbeat_ms = heartbeat_ms
        self.liveness_max = liveness
        self.socket = None
        self.poller = zmq.Poller()
        self.connect()

    def connect(self):
        if self.socket is not None:
            self.poller.unregister(self.socket)
            self.socket.close(linger=0)
        self.socket = self.ctx.socket(zmq.DEALER)
        self.socket.linger = 0
        self.socket.connect(self.endpoint)
        self.poller.register(self.socket, zmq.POLLIN)
        self.send(READY, [self.service])
        self.liveness = self.liveness_max
        print("worker ready service=%s endpoint=%s" % (self.service.decode(), self.endpoint), flush=True)

    def send(self, command, frames):
        self.socket.send_multipart([b"", MDPW01, command] + frames)
        self.heartbeat_at = time.monotonic() + self.heartbeat_ms / 1000.0

    def poll_once(self, prefix, extra):
        """Waits up to one heartbeat interval; returns 1 when a request was answered, else 0."""
        served = 0
        if self.poller.poll(self.heartbeat_ms):
            frames = self.socket.recv_multipart()
            self.liveness = self.liveness_max
            served = self.on_message(frames, prefix, extra)
        else:
            self.liveness -= 1
            if self.liveness <= 0:
                print("broker silent, reconnecting", flush=True)
                self.connect()
        if time.monotonic() >= self.heartbeat_at:
            self.send(HEARTBEAT, [])
        return served

    def on_message(self, frames, prefix, extra):
        if len(frames) < 3 or frames[0] != b"" or frames[1] != MDPW01:
            raise ProtocolError("bad header: %r" % frames[:3])
        command = frames[2]
        if command == REQUEST:
            if len(frames) < 5 or frames[4] != b"":
                raise ProtocolError("bad REQUEST: %d frames" % len(frames))
            client, body = frames[3], frames[5:]
            if prefix and body:
                body = [prefix.encode() + body[0]] + body[1:]
            if extra:
                body = body + [extra.encode()]
            self.send(REPLY, [client, b""] + body)
            return 1
        if command == HEARTBEAT:
            return 0
        if command == DISCONNECT:
            print("disconnected by broker, reconnecting", flush=True)
            self.connect()
            return 0
        raise ProtocolError("unknown command %r" % command)

    def close(self):
        self.socket.send_multipart([b"", MDPW01, DISCONNECT])
        self.socket.close(linger=500)


def main():
    parser = argparse.ArgumentParser(description="MDP/0.1 echo worker")
    parser.add_argument("endpoint")
    parser.add_argument("service")
    parser.add_argument("--requests", type=int, default=0, help="exit 0 after this many (0: run until timeout)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before giving up")
    parser.add_argument("--heartbeat-ms", type=int, default=1000)
    parser.add_argument("--liveness", type=int, default=3)
    parser.add_argument("--prefix", default="", help="put before the first body frame of each reply")
    parser.add_argument("--extra-frame", default="", help="add this frame after the body of each reply")
    args = parser.parse_args()

    ctx = zmq.Context()
    worker = Worker(ctx, args.endpoint, args.service, args.heartbeat_ms, args.liveness)
    deadline = time.monotonic() + args.timeout
    served = 0
    code = 0
    try:
        while args.requests == 0 or served < args.requests:
            if time.monotonic() >= deadline:
                if args.requests:
                    print("timeout served=%d wanted=%d" % (served, args.requests), flush=True)
                    code = 3
                break
            if worker.poll_once(args.prefix, args.extra_frame):
                served += 1
                print("served=%d" % served, flush=True)
    except ProtocolError as e:
        print("protocol error: %s" % e, flush=True)
        code = 4
    worker.close()
    ctx.term()
    return code


if __name__ == "__main__":
    sys.exit(main())
