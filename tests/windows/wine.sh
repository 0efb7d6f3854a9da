#!/usr/bin/env bash
# Runs Windows programs under wine for the windows.* tests, in a wine prefix of the build tree.
#   wine.sh init <prefix>                   create the prefix (once; later calls reuse it) and
#                                           start a wineserver that outlives single runs
#   wine.sh run <prefix> <dir> <exe> [args] run <dir>/<exe>.exe in <dir>; its exit status
#   wine.sh stop <prefix>                   stop the prefix's wineserver and its processes
set -euo pipefail
mode=$1 prefix=$2
shift 2
export WINEPREFIX=$prefix WINEDEBUG=-all WINEARCH=win64
# No Mono or Gecko installer dialog while the prefix is created: the tests need neither.
export WINEDLLOVERRIDES="mscoree,mshtml="
unset DISPLAY WAYLAND_DISPLAY
wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
case "$mode" in
  init)
    start=$(date +%s%N)
    if [ ! -f "$prefix/system.reg" ]; then
      mkdir -p "$(dirname "$prefix")"
      wineboot --init > "$prefix.init.log" 2>&1 || { cat "$prefix.init.log"; echo "FAIL: wineboot --init"; exit 1; }
      what="created"
    else
      what="reused"
    fi
    # One server for all the runs that follow (each run would otherwise start its own); it
    # exits 30 s after its last client, or at wine.sh stop.
    "$wineserver" -p30 </dev/null >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    printf 'wine prefix %s %s in %d.%03d s (%s)\n' "$prefix" "$what" $((ms / 1000)) $((ms % 1000)) "$(wine --version)"
    ;;
  run)
    dir=$1 exe=$2
    shift 2
    [ -f "$dir/$exe.exe" ] || { echo "FAIL: no $dir/$exe.exe (did windows.build pass?)"; exit 1; }
    cd "$dir"
    status=0
    wine "./$exe.exe" "$@" || status=$?
    [ "$status" -eq 0 ] || echo "FAIL: $exe.exe exited with status $status under wine"
    exit "$status"
    ;;
  stop)
    "$wineserver" -k 2>/dev/null || true
    ;;
  *) echo "usage: wine.sh init|run|stop <prefix> ..." >&2; exit 2 ;;
esac
