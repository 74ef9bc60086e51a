#!/usr/bin/env python3
"""Parses Prometheus text exposition with prometheus_client, the reference Python parser, for Courier's MetricsIT.

Reads the exposition on stdin and prints the metric families as one JSON document on stdout:
  {"families": [{"name": ..., "type": ..., "help": ..., "samples": [{"name": ..., "labels": {...}, "value": ...}]}]}
Family names are as prometheus_client reports them: a counter's family drops its "_total" suffix, its samples keep
it. Values that JSON cannot hold (NaN, +Inf, -Inf) are written as those strings.

Exit codes: 0 parsed, 1 the text did not parse (the error on stderr), 2 usage.
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def number(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def family(metric):
    return {
        "name": metric.name,
        "type": metric.type,
        "help": metric.documentation,
        "samples": [
            {"name": s.name, "labels": dict(s.labels), "value": number(s.value)} for s in metric.samples
        ],
    }


def main(argv):
    if len(argv) != 1:
        print("usage: parse_exposition.py < exposition.txt", file=sys.stderr)
        return 2
    text = sys.stdin.read()
    try:
        families = [family(m) for m in text_string_to_metric_families(text)]
    except Exception as e:  # the parser raises ValueError, IndexError and others on bad input
        print("parse failed: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    json.dump({"families": families}, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
