#!/usr/bin/python3
"""Renders benchmarks.json as a self-contained HTML page (inline SVG bar charts, no network)
and a Markdown file.

    report.py benchmarks.json --html report.html --md report.md

Results are grouped by suite and group; within a group, the rows of one message (name) and
thread count are compared with the first of them: "x first" is a row's median divided by the
first row's median, from the same run. One chart per group draws a bar per row at its median
with a line from p5 to p95; the scale is logarithmic when the medians of a group span more
than a factor of 50. A script at the end of the page counts, for every chart, the bars drawn
with a non-zero width and writes the outcome into #selfcheck (the browser test reads it).
"""
import argparse
import html
import json
import math
import sys

SUITE_TITLES = {
    "pools": "Allocation: pools vs glibc malloc vs mimalloc (pool_bench)",
    "memory": "Allocation of Message; stack vs heap initialisation (mem_bench)",
    "ffi": "FFI call overhead through dlopen/dlsym (ffi_bench)",
    "access": "Sequential vs random access (access_bench)",
    "batch": "Batch throughput (batch_bench)",
    "batch kernels": "Batch column kernels at every dispatch level (kernel_bench)",
    "codec": "Wire encode/decode (codec_bench)",
    "generator": "Generator speed (gen_bench)",
}

# Each row of the earlier report and the result of this suite that answers it:
# (row, its claim in ns per operation or None, (suite, group, name, peer) of our figure,
#  (suite, group, name, peer) of the peer it is compared with in the same run, or None).
SEED_ROWS = [
    ("Allocation, Reaction 40 B", 7.20, ("pools", "alloc+init+free", "Reaction", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Reaction", "glibc malloc")),
    ("Allocation, Comment 2,056 B", 186.94, ("pools", "alloc+init+free", "Comment", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Comment", "glibc malloc")),
    ("Allocation, Post 5,584 B", 429.93, ("pools", "alloc+init+free", "Post", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Post", "glibc malloc")),
    ("Allocation, Message 4,040 B", 491.96, ("memory", "alloc+init+free", "Message", "proto2ffi typed pool"),
     ("memory", "alloc+init+free", "Message", "glibc malloc")),
    ("Stack, small 40 B", 0.79, ("memory", "init: stack vs heap", "Reaction", "stack + T_init"), None),
    ("Stack, medium 656 B", 7.08, ("memory", "init: stack vs heap", "UserProfile", "stack + T_init"), None),
    ("Stack, large 5,584 B", 56.55, ("memory", "init: stack vs heap", "Post", "stack + T_init"), None),
    ("Heap, small 40 B", 62.03, ("memory", "init: stack vs heap", "Reaction", "malloc + T_init + free"),
     ("memory", "init: stack vs heap", "Reaction", "stack + T_init")),
    ("Heap, large 5,584 B", 529.84, ("memory", "init: stack vs heap", "Post", "malloc + T_init + free"),
     ("memory", "init: stack vs heap", "Post", "stack + T_init")),
    ("FFI size query", 0.27, ("ffi", "size query", "Reaction", "generated, dlsym"),
     ("ffi", "size query", "Reaction", "empty function")),
    ("FFI alignment query", 0.27, ("ffi", "alignment query", "Reaction", "generated, dlsym"),
     ("ffi", "alignment query", "Reaction", "empty function")),
    ("FFI roundtrip, small 40 B", 13.30, ("ffi", "roundtrip", "Reaction", "generated, dlsym"),
     ("ffi", "roundtrip", "Reaction", "empty function x6")),
    ("FFI roundtrip, large 5,584 B", 21.08, ("ffi", "roundtrip", "Post", "generated, dlsym"),
     ("ffi", "roundtrip", "Post", "empty function x6")),
    ("Pool allocation, Posts", 432.56, ("pools", "alloc+init+free", "Post", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Post", "mimalloc")),
    ("Pool allocation, Comments", 154.27, ("pools", "alloc+init+free", "Comment", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Comment", "mimalloc")),
    ("Pool reuse, Reactions", 0.47, ("pools", "alloc+free pair, exported calls", "Reaction", "proto2ffi pool"),
     ("pools", "alloc+free pair, exported calls", "Reaction", "glibc malloc")),
    ("Pool allocation, Notifications", 13.76, ("pools", "alloc+init+free", "Notification", "proto2ffi typed pool"),
     ("pools", "alloc+init+free", "Notification", "glibc malloc")),
    ("Sequential, small 40 B", 2.51, ("access", "read one 8-byte field", "Reaction", "sequential"),
     ("access", "read one 8-byte field", "Reaction", "memcpy of the same bytes")),
    ("Random, small 40 B", 3.21, ("access", "read one 8-byte field", "Reaction", "random order"),
     ("access", "read one 8-byte field", "Reaction", "sequential")),
    ("Sequential, large 5,584 B", 53.02, ("access", "read every byte", "Post", "sequential"),
     ("access", "read every byte", "Post", "memcpy of the same bytes")),
    ("Feed generation, 100K items", 1e9 / 21447146, ("batch", "feed generation (100K)", "NewsFeedItem", "score + sort"),
     ("batch", "feed generation (100K)", "NewsFeedItem", "memcpy of the same bytes")),
    ("Batch post updates, 50K", 1e9 / 12036591, ("batch", "post updates (50K)", "Post", "random post order"),
     ("batch", "post updates (50K)", "Post", "memcpy of the same bytes")),
    ("Batch comment processing, 200K", 1e9 / 3819287,
     ("batch", "comment processing (200K)", "Comment", "validate + count + aggregate"),
     ("batch", "comment processing (200K)", "Comment", "memcpy of the same bytes")),
]


def _pool_targets():
    rows = []
    for group, via in (("alloc+free pair, exported calls", "exported calls"), ("alloc+free pair, inline (C)", "inline")):
        ours_peer = "proto2ffi pool" if via == "exported calls" else "proto2ffi pool inline"
        for msg in ("Reaction", "Notification", "Comment", "Message", "Post"):
            suite = "memory" if msg == "Message" else "pools"
            for peer, want in (("glibc malloc", 5.0), ("mimalloc", 2.0)):
                rows.append((f"pool: alloc+free pair >= {want:g}x {peer} ({via}, {msg})", want,
                             (suite, group, msg, ours_peer), (suite, group, msg, peer), 1))
    for group in ("thread-safe pair", "thread-safe burst"):
        for msg in ("Reaction", "Post"):
            rows.append((f"pool: {group} on 2 threads no slower than glibc ({msg})", 1.0,
                         ("pools", group, msg, "proto2ffi thread-safe pool"), ("pools", group, msg, "glibc malloc"), 2))
    return rows


# Targets of the pool and codec work, as same-run ratios (peer median / our median >= want):
# (what, want, our key, peer key, threads).
TARGETS = _pool_targets()
# The codec's, per message of codec_bench: (operation, peer, want). Post's decode with ASCII
# content is also held to half of memcpy's throughput on its encoded bytes, i.e.
# memcpy / ours >= 0.5.
CODEC_MESSAGES = ["Reaction", "Comment", "Post", "Post (ASCII)", "Message", "Notification", "Samples (numeric)"]
CODEC_TARGETS = [("decode", "protobuf-c", 3.0), ("decode", "nanopb", 1.5),
                 ("encode", "protobuf-c", 2.0), ("encode", "nanopb", 1.5)]


def _codec_targets():
    out = []
    for op, peer, want in CODEC_TARGETS:
        for msg in CODEC_MESSAGES:
            out.append((f"codec: {op} >= {want:g}x {peer} ({msg})", want,
                        ("codec", op, msg, "proto2ffi"), ("codec", op, msg, peer), 1))
    out.append(("codec: decode of Post (ASCII) >= 50% of memcpy throughput (memcpy / ours >= 0.5)", 0.5,
                ("codec", "decode", "Post (ASCII)", "proto2ffi"), ("codec", "decode", "Post (ASCII)", "memcpy"), 1))
    return out


def find_t(data, key, threads):
    suite, group, name, peer = key
    for r in data["results"]:
        if r.get("suite") == suite and r["group"] == group and r["name"] == name and r["peer"] == peer \
                and r.get("threads", 1) == threads:
            return r
    return None


def target_table(data):
    rows = []
    for what, want, ours_key, peer_key, threads in TARGETS + _codec_targets():
        ours, peer = find_t(data, ours_key, threads), find_t(data, peer_key, threads)
        if ours is None or peer is None:
            rows.append([what, "not in this run", ""])
            continue
        ratio = peer["ns_per_op"]["median"] / ours["ns_per_op"]["median"]
        rows.append([what, f"{ratio:.2f}x ({peer['ns_per_op']['median']:.2f} / {ours['ns_per_op']['median']:.2f} ns)",
                     "met" if ratio >= want else "NOT met"])
    return ["target", "ratio (peer / ours, medians)", "met?"], rows


def esc(s):
    return html.escape(str(s), quote=True)


def fmt(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} ms"
    if x >= 1e3:
        return f"{x / 1e3:.2f} µs"
    return f"{x:.2f} ns"


def groups_of(data):
    """[(suite, group, [results])] in the order they first appear."""
    order, by = [], {}
    for r in data["results"]:
        key = (r.get("suite", "?"), r["group"])
        if key not in by:
            by[key] = []
            order.append(key)
        by[key].append(r)
    return [(s, g, by[(s, g)]) for s, g in order]


def with_ratios(rows):
    """Each row with 'ratio' = its median / the median of the first row of its name and threads."""
    first = {}
    out = []
    for r in rows:
        k = (r["name"], r.get("threads", 1))
        first.setdefault(k, r["ns_per_op"]["median"])
        out.append((r, r["ns_per_op"]["median"] / first[k] if first[k] > 0 else float("nan")))
    return out


def find(data, key):
    suite, group, name, peer = key
    for r in data["results"]:
        if r.get("suite") == suite and r["group"] == group and r["name"] == name and r["peer"] == peer \
                and r.get("threads", 1) == 1:
            return r
    return None


def label(r):
    t = f", {r['threads']} threads" if r.get("threads", 1) != 1 else ""
    return f"{r['name']} · {r['peer']}{t}"


def svg_chart(cid, rows):
    """A horizontal bar chart: one bar per row at its median, a line from p5 to p95."""
    lw, bw, vw, rh, top = 330, 440, 90, 20, 22
    h = top + rh * len(rows) + 8
    med = [r["ns_per_op"]["median"] for r, _ in rows]
    hi = max(max(r["ns_per_op"]["p95"], r["ns_per_op"]["median"]) for r, _ in rows)
    lo_med = min(m for m in med if m > 0) if any(m > 0 for m in med) else 1.0
    log = hi / lo_med > 50
    if log:
        lo = lo_med / 2

        def x(v):
            v = max(v, lo)
            return bw * math.log(v / lo) / math.log(hi / lo)
    else:
        def x(v):
            return bw * max(v, 0) / hi if hi > 0 else 0
    out = [f'<svg class="chart" id="{esc(cid)}" data-bars="{len(rows)}" xmlns="http://www.w3.org/2000/svg" '
           f'width="{lw + bw + vw}" height="{h}" role="img" aria-label="bar chart">',
           f'<text x="{lw}" y="14" class="axis">ns per operation, median with p5–p95'
           f'{" (log scale)" if log else ""}</text>']
    names = []
    for r, _ in rows:
        if r["name"] not in names:
            names.append(r["name"])
    for i, (r, _) in enumerate(rows):
        y = top + i * rh
        s = r["ns_per_op"]
        w = max(x(s["median"]), 1.0)
        first = i == 0 or rows[i - 1][0]["name"] != r["name"]
        cls = "bar ours" if first else "bar peer"
        out.append(f'<text x="{lw - 6}" y="{y + 14}" class="lbl">{esc(label(r))}</text>')
        out.append(f'<rect class="{cls}" x="{lw}" y="{y + 3}" width="{w:.1f}" height="{rh - 6}">'
                   f'<title>{esc(label(r))}: {fmt(s["median"])} (p5 {fmt(s["p5"])}, p95 {fmt(s["p95"])})</title></rect>')
        x5, x95 = lw + x(s["p5"]), lw + x(s["p95"])
        out.append(f'<line class="whisker" x1="{x5:.1f}" x2="{x95:.1f}" y1="{y + rh / 2}" y2="{y + rh / 2}"/>')
        out.append(f'<text x="{lw + bw + 4}" y="{y + 14}" class="val">{esc(fmt(s["median"]))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def num(x, unit):
    """x ns in the unit of the column (ns or ms)."""
    return f"{x / 1e6:.1f}" if unit == "ms" else f"{x:.2f}"


def table_rows(rows):
    unit = "ms" if min(r["ns_per_op"]["median"] for r, _ in rows) >= 1e6 else "ns"
    for r, ratio in rows:
        s = r["ns_per_op"]
        ops = 1e9 / s["median"] if s["median"] > 0 else float("nan")
        yield [r["name"], r["peer"], str(r.get("bytes", "")), str(r.get("threads", 1)),
               f"{num(s['median'], unit)} {unit}", f"{num(s['p5'], unit)}–{num(s['p95'], unit)}", f"{ops:,.4g}",
               f"{r.get('reps', '')}×{r.get('ops_per_rep', '')}", f"{ratio:.3g}x"]


HEAD = ["message", "peer", "bytes", "threads", "median per op", "p5–p95", "ops/s", "reps×ops", "× first"]


def seed_table(data):
    rows = []
    for title, claim, ours_key, peer_key in SEED_ROWS:
        ours = find(data, ours_key)
        peer = find(data, peer_key) if peer_key else None
        if ours is None:
            rows.append([title, f"{claim:.2f}", "not in this run", "", ""])
            continue
        s = ours["ns_per_op"]
        ours_txt = f"{s['median']:.2f} ({s['p5']:.2f}–{s['p95']:.2f}) {ours_key[1]} · {ours_key[3]}"
        if peer:
            ratio = peer["ns_per_op"]["median"] / s["median"]
            peer_txt = f"{peer['peer']}: {peer['ns_per_op']['median']:.2f}"
            ratio_txt = f"{ratio:.3g}x"
        else:
            peer_txt, ratio_txt = "", ""
        rows.append([title, f"{claim:.2f}", ours_txt, peer_txt, ratio_txt])
    return ["earlier report's row", "its claim (ns/op)", "this run: median (p5–p95), case", "peer, same run (ns/op)",
            "peer / ours"], rows


def md_table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def machine_rows(data):
    m = dict(data.get("machine") or {})
    rows = [[k, str(v)] for k, v in m.items()]
    rows += [[f"library: {k}", str(v)] for k, v in (data.get("libraries") or {}).items()]
    rows.append(["mode", data.get("mode", "?")])
    return rows


def render_md(data):
    out = ["# proto2ffi benchmark report", "",
           f"Mode: {data.get('mode')}; {len(data['results'])} results from {len(data.get('programs', []))} programs "
           f"in {data.get('seconds', '?')} s. Every figure is a median over repetitions with its 5th–95th "
           "percentiles; \"× first\" divides a row's median by that of the first row of the same message in its "
           "group (same run).", "", "## Machine", "", md_table(["recorded", "value"], machine_rows(data)), ""]
    head, rows = seed_table(data)
    out += ["## The earlier report's rows, measured", "", md_table(head, rows), ""]
    head, rows = target_table(data)
    out += ["## Targets", "", md_table(head, rows), ""]
    suite = None
    for s, g, rows in groups_of(data):
        if s != suite:
            suite = s
            out += [f"## {SUITE_TITLES.get(s, s)}", ""]
        out += [f"### {g}", "", md_table(HEAD, list(table_rows(with_ratios(rows)))), ""]
    return "\n".join(out)


CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#1b1f24;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccd}h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:12.5px}td,th{border:1px solid #d0d7de;padding:2px 7px}
th{background:#f3f5f8;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
svg.chart{display:block;margin:4px 0}svg .lbl{font-size:12px;text-anchor:end;fill:#1b1f24}
svg .val{font-size:12px;fill:#1b1f24}svg .axis{font-size:11px;fill:#57606a}
svg .bar.ours{fill:#2f6fb3}svg .bar.peer{fill:#b9c3cf}svg .whisker{stroke:#1b1f24;stroke-width:1.2}
#selfcheck{font-size:12px;color:#57606a}
"""

SELFCHECK = """
(function () {
  var charts = document.querySelectorAll('svg.chart'), bad = [], bars = 0;
  for (var i = 0; i < charts.length; i++) {
    var want = Number(charts[i].getAttribute('data-bars')), got = 0;
    var rects = charts[i].querySelectorAll('rect.bar');
    for (var k = 0; k < rects.length; k++) if (rects[k].getBBox().width > 0) got++;
    bars += got;
    if (got !== want || want === 0) bad.push(charts[i].id + ' ' + got + '/' + want);
  }
  var s = document.getElementById('selfcheck');
  s.setAttribute('data-status', bad.length ? 'fail' : 'ok');
  s.setAttribute('data-charts', String(charts.length));
  s.setAttribute('data-bars', String(bars));
  s.textContent = 'self-check: ' + (bad.length ? 'FAIL ' + bad.join(', ') : 'ok') + ', ' + charts.length +
      ' charts, ' + bars + ' bars drawn';
})();
"""


def html_table(head, rows, numeric=()):
    out = ["<table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        out.append("<tr>" + "".join(f'<td class="n">{esc(c)}</td>' if i in numeric else f"<td>{esc(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(data):
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>proto2ffi benchmark report</title>", f"<style>{CSS}</style></head><body>",
             "<h1>proto2ffi benchmark report</h1>",
             f"<p>Mode: <b>{esc(data.get('mode'))}</b>; {len(data['results'])} results from "
             f"{len(data.get('programs', []))} programs in {esc(data.get('seconds', '?'))} s. Every figure is a "
             "median over repetitions with its 5th–95th percentiles; “× first” divides a row's median by that of "
             "the first row of the same message in its group, measured in the same run. In the charts the first "
             "row of each message is dark.</p>",
             '<p id="selfcheck" data-status="pending">self-check: not run</p>',
             "<h2>Machine</h2>", html_table(["recorded", "value"], machine_rows(data)),
             "<h2>Programs</h2>",
             html_table(["program", "suite", "results", "seconds"],
                        [[p["name"], p["suite"], str(p["results"]), str(p["seconds"])]
                         for p in data.get("programs", [])], numeric=(2, 3))]
    head, rows = seed_table(data)
    parts += ["<h2>The earlier report's rows, measured</h2>", html_table(head, rows, numeric=(1, 4))]
    head, rows = target_table(data)
    parts += ["<h2>Targets</h2>", html_table(head, rows)]
    suite = None
    for n, (s, g, rows) in enumerate(groups_of(data)):
        if s != suite:
            suite = s
            parts.append(f"<h2>{esc(SUITE_TITLES.get(s, s))}</h2>")
        rr = with_ratios(rows)
        parts.append(f"<h3>{esc(g)}</h3>")
        parts.append(svg_chart(f"chart-{n}", rr))
        parts.append(html_table(HEAD, list(table_rows(rr)), numeric=(2, 3, 4, 5, 6, 7, 8)))
    parts += [f"<script>{SELFCHECK}</script>", "</body></html>"]
    return "\n".join(parts) + "\n"


def write_reports(data, html_path, md_path):
    with open(html_path, "w", encoding="utf-8") as f:
        f.write(render_html(data))
    with open(md_path, "w", encoding="utf-8") as f:
        f.write(render_md(data) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("json")
    ap.add_argument("--html", required=True)
    ap.add_argument("--md", required=True)
    args = ap.parse_args()
    with open(args.json, encoding="utf-8") as f:
        data = json.load(f)
    write_reports(data, args.html, args.md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
