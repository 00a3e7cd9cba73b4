#!/usr/bin/env python3
"""Show the frames where `interlock dissect --jsonl` disagrees with a Wireshark truth file.

usage: scripts/truth_diff.py CAPTURE TRUTH.tsv PROTO [--decode-as PORT=NAME ...]
Normalizes values as ../shared/tools/conformance.py does.
"""

import collections
import json
import re
import subprocess
import sys

INT = re.compile(r"^-?(0x[0-9a-fA-F]+|\d+)$")
SKIP = {
    "frame.number",
    "ip.src",
    "ip.dst",
    "ipv6.src",
    "ipv6.dst",
    "tcp.srcport",
    "tcp.dstport",
    "udp.srcport",
    "udp.dstport",
    "cotp.type",
    "tpkt.length",
    "data.data[0:16]",
}


def norm(part):
    part = str(part).strip()
    if part in ("True", "true"):
        return 1
    if part in ("False", "false"):
        return 0
    return int(part, 0) if INT.match(part) else part


def parts(value):
    if isinstance(value, list):
        return [p for v in value for p in parts(v)]
    if isinstance(value, bool):
        return [int(value)]
    return [norm(p) for p in str(value).split(",") if p.strip() != ""]


def main():
    capture, truth, proto, *opts = sys.argv[1:]
    out = subprocess.run(
        ["interlock", "dissect", capture, "--jsonl", *opts], capture_output=True, text=True
    )
    ours = collections.defaultdict(lambda: collections.defaultdict(list))
    for line in out.stdout.splitlines():
        rec = json.loads(line)
        if rec["proto"] == proto:
            for k, v in rec["fields"].items():
                ours[rec["frame"]][k].extend(parts(v))
    with open(truth) as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            frame = int(row["frame.number"])
            for col, val in row.items():
                if col in SKIP or val == "":
                    continue
                want = collections.Counter(parts(val))
                got = collections.Counter(ours[frame].get(col, []))
                if want != got:
                    print(
                        f"frame {frame} {col}: wireshark {sorted(want.elements(), key=str)} ours {sorted(got.elements(), key=str)}"
                    )


if __name__ == "__main__":
    main()
