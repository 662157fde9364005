// Extension: the pool put to a job other than serving web requests. Counts the primes below 200000, in
// eight ranges of 25000. The pool is listing 21-25's: the check builds this file with
// steps/08-graceful-shutdown/listing-21-25/thread_pool.hpp and .cpp.
#include <atomic>
#include <string>

#include "rs/print.hpp"
#include "thread_pool.hpp"

namespace {

constexpr long limit = 200000;
constexpr long parts = 8;

bool is_prime(long n) {
    if (n < 2) return false;
    for (long d = 2; d * d <= n; ++d) {
        if (n % d == 0) return false;
    }
    return true;
}

long count_primes(long from, long to) {
    long count = 0;
    for (long n = from; n < to; ++n) count += is_prime(n);
    return count;
}

}  // namespace

int main() {
    std::atomic<long> total{0};
    // TODO(exercise): count each range as a job on a hello::ThreadPool of four workers, the
    // counting inside the job (not here on main, not on a thread of your own); the workers add to
    // the total at once. Print the total only once every job has run (what does the pool's
    // destructor wait for?). Book: the ideas closing "Graceful Shutdown and Cleanup", "use
    // ThreadPool to perform some task other than serving web requests"
    // (https://doc.rust-lang.org/book/ch21-03-graceful-shutdown-and-cleanup.html);
    // docs/08-graceful-shutdown.md
    for (long part = 0; part < parts; ++part) {
        total += count_primes(part * limit / parts, (part + 1) * limit / parts);
    }
    rs::println("primes below " + std::to_string(limit) + ": " + std::to_string(total.load()));
}
