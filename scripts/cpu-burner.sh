#!/usr/bin/env bash
# A CPU burner of our own: one busy loop per core (`nproc`, or the count given as $1), each a
# `node -e` spinning loop, until this script is stopped. .ci/run runs `npm test` a second time under
# it, so the suite is proven on a busy machine, as a developer's laptop or a shared CI runner is.
#   bash scripts/cpu-burner.sh & burner=$!; npm test; kill "$burner"
# Prints `cpu burner: N busy loops` once they all run. It never outlives its caller: it stops on
# SIGTERM/SIGINT/SIGHUP, and by itself within a second once the process that started it (its parent,
# or BURNER_WATCH_PID) is gone — even when that one was SIGKILLed or only a wrapping subshell got the
# signal; each loop in turn stops once this script is gone.
set -euo pipefail
cd "$(dirname "$0")/.."

n="${1:-$(nproc)}"
watch="${BURNER_WATCH_PID:-$PPID}"
# Any Node will do (the loop needs nothing of Node 24): the system's, else the project's own.
node_bin="$(command -v node || true)"
[ -n "$node_bin" ] || node_bin="node_modules/.bin/node"
# Spins; about every 100 ms of work it checks that the burner (argv[1]) still runs.
loop='const burner = Number(process.argv[1]);
for (;;) {
  const until = Date.now() + 100;
  while (Date.now() < until) {}
  try { process.kill(burner, 0); } catch { process.exit(0); }
}'

pids=()
stop() {
  trap - EXIT INT TERM HUP
  [ "${#pids[@]}" -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM HUP

for _ in $(seq 1 "$n"); do
  "$node_bin" -e "$loop" "$$" &
  pids+=("$!")
done
echo "cpu burner: $n busy loops (pids ${pids[*]}), until pid $watch ends or this one is stopped"
while kill -0 "$watch" 2>/dev/null; do
  sleep 1
done
