#!/bin/bash
# Shows that the checks of the suite's output can fail: damaged copies of a good run must be
# rejected, each for the reason planted.
#   selftest_reports.sh results PYTHON RESULTS_DIR WORK_DIR    check_results.py on bad JSON
#   selftest_reports.sh browser PYTHON RESULTS_DIR WORK_DIR CHROMIUM   browser_check.py on bad HTML
set -u
mode=$1 py=$2 results=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
fail=0
expect_failure() { # name, pattern expected in the output, command...
  local name=$1 pattern=$2
  shift 2
  local out
  if out=$("$@" 2>&1); then
    echo "selftest $name: the check passed a damaged report"; fail=1
  elif ! grep -q -- "$pattern" <<<"$out"; then
    echo "selftest $name: failed, but not with \"$pattern\":"; echo "$out"; fail=1
  else
    echo "selftest $name: rejected as expected ($pattern)"
  fi
}
rm -rf "$work" && mkdir -p "$work"
case $mode in
results)
  for s in missing zero; do cp -r "$results" "$work/$s"; done
  "$py" - "$work" <<'PY'
import json, sys
w = sys.argv[1]
d = json.load(open(f"{w}/missing/benchmarks.json"))
d["results"] = [r for r in d["results"] if r["program"] != "ffi_bench"]
json.dump(d, open(f"{w}/missing/benchmarks.json", "w"))
d = json.load(open(f"{w}/zero/benchmarks.json"))
d["results"][3]["ns_per_op"]["median"] = 0.0
json.dump(d, open(f"{w}/zero/benchmarks.json", "w"))
PY
  expect_failure missing-program "program 'ffi_bench' has no results" \
    "$py" "$here/check_results.py" "$work/missing" ffi_bench pool_bench
  expect_failure zero-median "is not positive" "$py" "$here/check_results.py" "$work/zero" pool_bench
  rm "$work/zero/report.md"
  expect_failure no-markdown "report.md" "$py" "$here/check_results.py" "$work/zero" pool_bench
  ;;
browser)
  chromium=$5
  sed '0,/\(class="bar[^"]*" x="[0-9.]*" y="[0-9.]*" \)width="[0-9.]*"/s//\1width="0"/' \
    "$results/report.html" > "$work/zero-bar.html"
  sed 's|</body>|<script>notDefinedAnywhere();</script></body>|' "$results/report.html" > "$work/console.html"
  expect_failure zero-width-bar "self-check status 'fail'" \
    "$py" "$here/browser_check.py" "$chromium" "$work/zero-bar.html" "$results/benchmarks.json" "$work/a.png"
  expect_failure console-error "Uncaught ReferenceError" \
    "$py" "$here/browser_check.py" "$chromium" "$work/console.html" "$results/benchmarks.json" "$work/b.png"
  ;;
*) echo "usage: selftest_reports.sh results|browser PYTHON RESULTS_DIR WORK_DIR [CHROMIUM]"; exit 2 ;;
esac
exit $fail
