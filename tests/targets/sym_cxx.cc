/*
 * sym_cxx - C++ test target for the symbolizer (tests/unit/test_symbols.c).
 *
 * Compiled by the test itself with the system C++ compiler (configure
 * does not look for one), into a temporary directory. It holds a class
 * template, a namespace and an overloaded function, so demangled names
 * such as "Worker<int>::run(int)" and "ledger::post(double)" can be
 * checked. Run without arguments it does a little work and exits 0.
 */
#include <cstdio>
#include <string>
#include <vector>

namespace ledger {

template <typename T> class Worker {
public:
	explicit Worker(T seed) : acc_(seed) {}
	__attribute__((noinline)) T run(int n)
	{
		for (int i = 0; i < n; i++)
			acc_ = acc_ * 3 + static_cast<T>(i);
		return acc_;
	}

private:
	T acc_;
};

__attribute__((noinline)) double post(double x)
{
	return x * 1.5;
}

__attribute__((noinline)) long post(const std::string &s)
{
	return static_cast<long>(s.size());
}

} // namespace ledger

volatile double sink;

int main(int argc, char **argv)
{
	ledger::Worker<int> wi(argc);
	ledger::Worker<double> wd(argc);
	std::vector<std::string> args(argv, argv + argc);
	sink = wi.run(10) + wd.run(10) + ledger::post(2.0) + ledger::post(args[0]);
	std::printf("%d\n", static_cast<int>(sink) & 1);
	return 0;
}
