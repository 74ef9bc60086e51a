#!/usr/bin/env python3
"""Prints libzmq's version and exits with the code given as the first argument (PyZmqTest)."""
import sys

import zmq

print("libzmq %s" % zmq.zmq_version(), flush=True)
sys.exit(int(sys.argv[1]))
