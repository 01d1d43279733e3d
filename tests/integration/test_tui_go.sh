#!/bin/bash
# test_tui_go: the goroutines pane of the real screen on a real Go program
# (tests/targets/go_gr deadlock: main.lockAB holds mutexA and waits for
# mutexB, main.lockBA the reverse), driven in tmux:
#  1. The header counts the goroutines ("GO N", N as runtime.NumGoroutine
#     says, asked with SIGUSR1) and the runtime is "go".
#  2. Key 6: the goroutines by status and wait reason, and the groups
#     named by the program's own function (main.lockAB, main.lockBA), not
#     by sync's or the runtime's; once the window shows no progress the
#     two mutex waits are flagged "DEADLOCK?".
#  3. Enter unfolds a group's stack; q exits 0 and restores the terminal.
# Skipped (77) when Go is not installed (the target is then not built).
set -eu
# shellcheck source=tests/lib.sh
source "$TESTLIB"
# shellcheck source=tests/tui_lib.sh
source "$TUILIB"
# shellcheck source=tests/go/lib.sh
source "$(dirname "$0")/../go/lib.sh"
go_need_targets
tui_server

go_start go_gr deadlock
pid=$TARGET_PID
n=$(go_numgoroutine)

tui_start go 100 30 -p "$pid" -d 0.5
tui_wait go 10 -E "PID $pid \\(go_gr\\) +up .* go "
tui_wait go 10 -E "GO $n "
ok "header: GO $n, as runtime.NumGoroutine says"
tui_keys go 6
tui_wait go 5 -E "^ 6 Goroutines - $n goroutines"
tui_wait go 5 -E "semacquire .*main\\.lockAB"
tui_expect go "the other side of the cycle" -E "semacquire .*main\\.lockBA"
grep -q "sync.runtime_Semacquire" "$TMPD/screen.go" && { tui_show go; fail "a group is named by sync's frame"; }
ok "groups are named by the program's functions"
tui_wait go 10 -E "DEADLOCK\\? main\\.lock(AB|BA)"
say "goroutines pane:"
tui_show go
tui_keys go Home Enter
tui_wait go 3 -E "^ +#0 +"
ok "Enter unfolds the group's stack"
tui_quit go
say "PASS"
