#!/bin/sh
# Lists the functions of rectify that run from start to first frame, a key press and quit,
# for the linker to put side by side (see build.rs). Needs valgrind and tmux.
#
#   cargo build --release && link/update-startup-order.sh
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'tmux kill-session -t rectify-order 2>/dev/null || true; rm -rf "$tmp"' EXIT
tmux new -d -s rectify-order -x 120 -y 40 \
    "HOME=$tmp XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config \
     valgrind --tool=callgrind --demangle=no --callgrind-out-file=$tmp/cg target/release/rectify"
sleep 8
tmux send-keys -t rectify-order j
sleep 2
tmux send-keys -t rectify-order q
while tmux has-session -t rectify-order 2>/dev/null; do sleep 1; done
callgrind_annotate --threshold=100 "$tmp/cg" |
    grep 'target/release/rectify\]' |
    sed -E 's/^ *[0-9,]+ *\([^)]*\) *[^:]*:(.*) \[.*$/\1/' >link/startup-functions.txt
wc -l link/startup-functions.txt
