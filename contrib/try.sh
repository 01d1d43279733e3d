#!/bin/bash
# contrib/try.sh [cdtop options] - install what is missing, build, and run
# cdtop. With no options it starts the bundled demo service
# (contrib/demo/cdtop-demo.c, which burns CPU, leaks connections into
# CLOSE_WAIT, grows its RSS and queues threads on a lock) and watches it.
set -euo pipefail
cd "$(dirname "$0")/.."
./contrib/setup.sh
if [ $# -gt 0 ]; then
	exec ./cdtop "$@"
fi
./contrib/cdtop-demo > /dev/null &
demo=$!
trap 'kill $demo 2>/dev/null || true' EXIT
sleep 0.5
./cdtop -p "$demo"
