#!/usr/bin/python3
"""Loads report.html in headless Chromium: no console message, every chart drawn, and a
screenshot saved.

    browser_check.py CHROMIUM REPORT.html BENCHMARKS.json SCREENSHOT.png

The page's own self-check (a script at its end, see bench/report.py) counts the bars each
chart has drawn with a non-zero width and records the outcome on #selfcheck; --dump-dom
returns the DOM after it ran. This script requires data-status="ok", as many charts as the
JSON has groups and as many bars as it has results, and no CONSOLE line in Chromium's log
(the page logs nothing when it works, so any console output is an error). Exits 1 with the
reasons otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402


def chromium(binary, profile, extra, url):
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"] + extra + [url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    binary, page, data_path, shot = sys.argv[1:]
    with open(data_path, encoding="utf-8") as f:
        data = json.load(f)
    want_charts = len(report.groups_of(data))
    want_bars = len(data["results"])
    url = "file://" + os.path.abspath(page)
    errs = []
    with tempfile.TemporaryDirectory() as profile:
        dom = chromium(binary, profile, ["--dump-dom"], url)
        m = re.search(r'<p id="selfcheck"([^>]*)>([^<]*)', dom.stdout)
        if m is None:
            errs.append("no #selfcheck element in the DOM (page not loaded?)")
        else:
            attrs = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', m.group(1)))
            if attrs.get("data-status") != "ok":
                errs.append(f"self-check status {attrs.get('data-status')!r}: {m.group(2)}")
            if attrs.get("data-charts") != str(want_charts):
                errs.append(f"{attrs.get('data-charts')} charts in the page, {want_charts} groups in the JSON")
            if attrs.get("data-bars") != str(want_bars):
                errs.append(f"{attrs.get('data-bars')} bars drawn, {want_bars} results in the JSON")
        for line in dom.stderr.splitlines():
            if ":CONSOLE" in line:
                errs.append("console: " + line.split("CONSOLE", 1)[1][:200])
        if os.path.exists(shot):
            os.remove(shot)
        shot_run = chromium(binary, profile, [f"--screenshot={os.path.abspath(shot)}", "--window-size=1200,2000"], url)
        if not os.path.exists(shot) or os.path.getsize(shot) < 10000:
            errs.append(f"no screenshot written to {shot} (exit {shot_run.returncode})")
    for e in errs:
        print("browser_check:", e, file=sys.stderr)
    if errs:
        return 1
    print(f"browser_check: {want_charts} charts, {want_bars} bars drawn, no console message; screenshot {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
