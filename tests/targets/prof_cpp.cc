/*
 * prof_cpp - C++ stack sampling target (tests/sampler/test_prof_cpp.sh).
 *
 * Built by the test itself with the system C++ compiler (configure does
 * not look for one). The main thread runs Worker<int>::run, a member of
 * a class template, which calls Worker<int>::spin, a pure arithmetic
 * loop, forever; neither is inlined. A demangling symbolizer shows them
 * as "Worker<int>::run()" and "Worker<int>::spin(int)".
 * Prints "ready"; exits after 120 s.
 */
#include <cstdio>
#include <unistd.h>

static volatile unsigned long sink;

template <typename T> class Worker {
public:
	explicit Worker(T seed) : acc_(seed) {}

	__attribute__((noinline, noipa)) T spin(T seed)
	{
		unsigned long x = static_cast<unsigned long>(seed);
		for (unsigned long i = 0; i < 20000000UL; i++)
			x = x * 1103515245UL + 12345UL + (x >> 7);
		return static_cast<T>(x);
	}

	__attribute__((noinline, noipa)) T run()
	{
		for (;;) {
			acc_ ^= spin(acc_);
			sink = static_cast<unsigned long>(acc_);
		}
		return acc_;
	}

private:
	T acc_;
};

int main(int argc, char **)
{
	alarm(120);
	std::printf("ready\n");
	std::fflush(stdout);
	Worker<int> w(argc);
	int r = w.run();
	std::printf("%d\n", r);
	return 0;
}
