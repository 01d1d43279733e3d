// go_bench_target - a Go program with many parked goroutines, for
// bench/go_goroutines.sh (see bench/README.md, Goroutines).
//
//	go_bench_target [-n 100000] [-depth 8] [-alarm 900]
//
// Starts N goroutines, each recursing `depth` frames into main.park and
// then blocking in a channel receive that never completes, plus a ticker
// goroutine that measures its own scheduling latency: it sleeps 1 ms in
// a loop and records how late each wake-up is. A pause of the program
// (stopped threads, a stopped world) shows as late wake-ups.
//
// Prints "ready goroutines=N" (runtime.NumGoroutine) once set up. Then:
//
//	SIGUSR1  print "latency n=... p50_us=... p99_us=... max_us=..." for the
//	         wake-ups since the previous SIGUSR1, and start a new window
//	SIGUSR2  run pprof.Lookup("goroutine").WriteTo(io.Discard, 1) (the
//	         grouped text of goroutine?debug=1) and print
//	         "pprof debug=1 ms=... bytes=..."
//	SIGHUP   the same with debug=2 (every goroutine printed)
//
// Exits after -alarm seconds whatever happens.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"syscall"
	"time"
)

var never = make(chan int)
var sink int

//go:noinline
func park(depth int) int {
	if depth > 0 {
		return park(depth-1) + 1
	}
	return <-never
}

type window struct {
	mu   sync.Mutex
	late []time.Duration
}

func (w *window) add(d time.Duration) {
	w.mu.Lock()
	w.late = append(w.late, d)
	w.mu.Unlock()
}

func (w *window) flush() string {
	w.mu.Lock()
	l := w.late
	w.late = nil
	w.mu.Unlock()
	if len(l) == 0 {
		return "latency n=0 p50_us=0 p99_us=0 max_us=0"
	}
	sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	q := func(p float64) int64 { return l[int(p*float64(len(l)-1))].Microseconds() }
	return fmt.Sprintf("latency n=%d p50_us=%d p99_us=%d max_us=%d", len(l), q(0.5), q(0.99), l[len(l)-1].Microseconds())
}

//go:noinline
func ticker(w *window) {
	for {
		t0 := time.Now()
		time.Sleep(time.Millisecond)
		late := time.Since(t0) - time.Millisecond
		if late < 0 {
			late = 0
		}
		w.add(late)
	}
}

func main() {
	n := flag.Int("n", 100000, "goroutines to park")
	depth := flag.Int("depth", 8, "frames of main.park under each")
	alarm := flag.Int("alarm", 900, "exit after this many seconds")
	flag.Parse()
	time.AfterFunc(time.Duration(*alarm)*time.Second, func() { os.Exit(3) })

	for i := 0; i < *n; i++ {
		go func() { sink += park(*depth) }()
	}
	for runtime.NumGoroutine() < *n {
		time.Sleep(10 * time.Millisecond)
	}
	w := &window{}
	go ticker(w)
	sigs := make(chan os.Signal, 16)
	signal.Notify(sigs, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGHUP)
	time.Sleep(100 * time.Millisecond)
	fmt.Printf("ready goroutines=%d\n", runtime.NumGoroutine())
	for s := range sigs {
		switch s {
		case syscall.SIGUSR1:
			fmt.Println(w.flush())
		case syscall.SIGUSR2, syscall.SIGHUP:
			debug := 1
			if s == syscall.SIGHUP {
				debug = 2
			}
			cw := &countWriter{}
			t0 := time.Now()
			pprof.Lookup("goroutine").WriteTo(cw, debug)
			fmt.Printf("pprof debug=%d ms=%.1f bytes=%d\n", debug,
				float64(time.Since(t0).Microseconds())/1000, cw.n)
		}
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return io.Discard.Write(p)
}
