// go_gr - Go target for the goroutine tests (tests/go/test_go_*.sh).
//
// Built by `make check` (tests/go.mk) twice: with symbols and DWARF, and
// with -ldflags='-s -w' (no .symtab, no DWARF). One program, one mode per
// run (first argument), so the suite builds it once per flavour:
//
//	leak      a goroutine blocked in chan receive (main.leakWorker) is
//	          added every 5 ms, up to 20000: a leak that grows
//	deadlock  main.lockAB holds mutexA and waits for mutexB, main.lockBA
//	          holds mutexB and waits for mutexA: an AB-BA deadlock
//	hot       main.hotLoop burns CPU in a goroutine locked to its thread
//	          (prints hot_tid=N)
//	iowait    20 goroutines (main.ioReader) read from loopback TCP
//	          connections whose peer never writes
//	sleep     30 goroutines (main.sleeper) in time.Sleep(1 h)
//
// It prints "ready" when set up, and "goroutines N" (runtime.NumGoroutine)
// on every SIGUSR1, so a test can compare cdtop's count with the
// program's own. Exits after 120 s whatever happens.
package main

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

var (
	mutexA, mutexB sync.Mutex
	never          = make(chan int)
	sink           uint64
)

//go:noinline
func leakWorker(id int) {
	v := <-never // nobody ever sends
	sink += uint64(v + id)
}

//go:noinline
func leak() {
	go func() {
		for i := 0; i < 20000; i++ {
			go leakWorker(i)
			time.Sleep(5 * time.Millisecond)
		}
	}()
}

//go:noinline
func lockAB(ready *sync.WaitGroup, both chan struct{}) {
	mutexA.Lock()
	ready.Done()
	<-both
	mutexB.Lock() // held by lockBA forever
	mutexB.Unlock()
	mutexA.Unlock()
}

//go:noinline
func lockBA(ready *sync.WaitGroup, both chan struct{}) {
	mutexB.Lock()
	ready.Done()
	<-both
	mutexA.Lock() // held by lockAB forever
	mutexA.Unlock()
	mutexB.Unlock()
}

//go:noinline
func deadlock() {
	var ready sync.WaitGroup
	both := make(chan struct{})
	ready.Add(2)
	go lockAB(&ready, both)
	go lockBA(&ready, both)
	ready.Wait()
	close(both)
	// Both now block on the other's mutex; wait until they do.
	time.Sleep(200 * time.Millisecond)
}

//go:noinline
func hotLoop(seed uint64) uint64 {
	x := seed
	for i := 0; i < 50000000; i++ {
		x = x*6364136223846793005 + 1442695040888963407 + (x >> 17)
	}
	return x
}

//go:noinline
func hot() {
	tid := make(chan int)
	go func() {
		runtime.LockOSThread()
		tid <- syscall.Gettid()
		for {
			sink ^= hotLoop(sink)
		}
	}()
	fmt.Printf("hot_tid=%d\n", <-tid)
}

//go:noinline
func ioReader(c net.Conn) {
	buf := make([]byte, 64)
	n, _ := c.Read(buf) // the peer never writes
	sink += uint64(n)
}

//go:noinline
func iowait() {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "listen:", err)
		os.Exit(2)
	}
	var peers []net.Conn
	for i := 0; i < 20; i++ {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			fmt.Fprintln(os.Stderr, "dial:", err)
			os.Exit(2)
		}
		p, err := l.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "accept:", err)
			os.Exit(2)
		}
		peers = append(peers, p) // kept open, never written
		go ioReader(c)
	}
	keep = peers
	time.Sleep(100 * time.Millisecond)
}

var keep []net.Conn

//go:noinline
func sleeper() {
	time.Sleep(time.Hour)
}

//go:noinline
func sleeps() {
	for i := 0; i < 30; i++ {
		go sleeper()
	}
	time.Sleep(100 * time.Millisecond)
}

func main() {
	time.AfterFunc(120*time.Second, func() { os.Exit(3) })
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go_gr leak|deadlock|hot|iowait|sleep")
		os.Exit(2)
	}
	usr1 := make(chan os.Signal, 16)
	signal.Notify(usr1, syscall.SIGUSR1)
	go func() {
		for range usr1 {
			fmt.Printf("goroutines %d\n", runtime.NumGoroutine())
		}
	}()
	switch os.Args[1] {
	case "leak":
		leak()
	case "deadlock":
		deadlock()
	case "hot":
		hot()
	case "iowait":
		iowait()
	case "sleep":
		sleeps()
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", os.Args[1])
		os.Exit(2)
	}
	fmt.Println("ready")
	select {}
}
