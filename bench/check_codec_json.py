#!/usr/bin/python3
"""Checks codec_bench's JSON output: every message has decode and encode results for every
peer that was built, and ours in the out-of-line form (decode copying and aliasing, encode),
with positive medians and p5 <= median <= p95.

    check_codec_json.py FILE --nanopb|--no-nanopb
"""
import json
import sys

MESSAGES = ["Reaction", "Comment", "Post", "Post (ASCII)", "Message", "Notification", "Samples (numeric)"]


def main():
    path, flag = sys.argv[1], sys.argv[2]
    peers = ["proto2ffi", "protobuf-c", "memcpy"] + (["nanopb"] if flag == "--nanopb" else [])
    data = json.load(open(path))
    assert data["suite"] == "codec", data["suite"]
    got = {(r["group"], r["name"], r["peer"]): r for r in data["results"]}
    for m in MESSAGES:
        for op in ("decode", "encode"):
            for p in peers:
                r = got.get((op, m, p))
                assert r is not None, f"missing {op} {m} {p}"
                s = r["ns_per_op"]
                assert 0 < s["p5"] <= s["median"] <= s["p95"], (op, m, p, s)
                assert r["bytes"] > 0, (op, m, p)
        for op in ("decode out-of-line", "decode out-of-line alias", "encode out-of-line"):
            r = got.get((op, m, "proto2ffi"))
            assert r is not None, f"missing {op} {m} proto2ffi"
            s = r["ns_per_op"]
            assert 0 < s["p5"] <= s["median"] <= s["p95"], (op, m, s)
    print(f"{len(got)} results, {len(MESSAGES)} messages, peers {', '.join(peers)}")


if __name__ == "__main__":
    main()
