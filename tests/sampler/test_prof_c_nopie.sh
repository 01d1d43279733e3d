#!/bin/bash
# test_prof_c_nopie: stack sampling of tests/targets/prof_hot.c built as
# prof_hot_nopie (see tests/sampler.mk for its flags): top function, caller
# chain, wall-mode share of the blocked thread, --stacks and folded
# output. The checks are in tests/sampler/lib/prof_hot_checks.sh.
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/sampler/lib/sampler.sh
source "$(dirname "$0")/lib/sampler.sh"
# shellcheck source=tests/sampler/lib/prof_hot_checks.sh
source "$(dirname "$0")/lib/prof_hot_checks.sh"
need_cmd jq
[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" = 0 ] ||
	skip "ptrace of a child needs root or kernel.yama.ptrace_scope=0"
prof_hot_checks prof_hot_nopie
