// sym_go - Go test target for the symbolizer (tests/unit/test_symbols.c).
//
// Built by the test itself with `go build`, with and without
// -ldflags=-s -w, as an executable and as a PIE, into a temporary
// directory. It prints "func NAME 0xENTRY" for a few functions, using the
// Go runtime's own symbol table (runtime.FuncForPC) as the reference,
// then "ready", then waits for EOF on stdin; it exits after 60 s anyway.
package main

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"time"
)

type Worker struct{ acc int }

//go:noinline
func (w *Worker) Run(n int) int {
	for i := 0; i < n; i++ {
		w.acc = w.acc*3 + i
	}
	return w.acc
}

//go:noinline
func hotLoop(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

func report(f interface{}) {
	fn := runtime.FuncForPC(reflect.ValueOf(f).Pointer())
	fmt.Printf("func %s %#x\n", fn.Name(), fn.Entry())
}

func main() {
	w := &Worker{}
	sink := hotLoop(100) + w.Run(10)
	if len(os.Args) < 2 || os.Args[1] != "wait" {
		fmt.Println(sink & 1)
		return
	}
	time.AfterFunc(60*time.Second, func() { os.Exit(2) })
	report(hotLoop)
	report((*Worker).Run)
	report(main)
	report(fmt.Sprintf)
	report(io.Copy)
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
}
