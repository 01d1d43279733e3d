// prof_go - Go stack sampling target (tests/sampler/test_prof_go*.sh).
//
// Built by the tests themselves with `go build` (configure does not look
// for Go), with symbols and with -ldflags='-s -w'. One goroutine, locked
// to its OS thread, runs main.hotCaller -> main.hotLoop (neither inlined)
// forever; the main goroutine sleeps. Prints "hot_tid=N" and "ready";
// exits after 120 s.
package main

import (
	"fmt"
	"os"
	"runtime"
	"syscall"
	"time"
)

var sink uint64

//go:noinline
func hotLoop(seed uint64) uint64 {
	x := seed
	for i := 0; i < 20000000; i++ {
		x = x*6364136223846793005 + 1442695040888963407 + (x >> 17)
	}
	return x
}

//go:noinline
func hotCaller(seed uint64) {
	for {
		seed ^= hotLoop(seed)
		sink = seed
	}
}

func main() {
	time.AfterFunc(120*time.Second, func() { os.Exit(3) })
	tid := make(chan int)
	go func() {
		runtime.LockOSThread()
		tid <- syscall.Gettid()
		hotCaller(uint64(len(os.Args)))
	}()
	fmt.Printf("hot_tid=%d\n", <-tid)
	fmt.Println("ready")
	for {
		time.Sleep(time.Second)
	}
}
