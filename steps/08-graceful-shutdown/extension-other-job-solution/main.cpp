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
    {
        auto pool = hello::ThreadPool(4);
        for (long part = 0; part < parts; ++part) {
            pool.execute([&total, part] { total += count_primes(part * limit / parts, (part + 1) * limit / parts); });
        }
    }  // the pool's destructor drops the sender; each Worker runs what is queued, then is joined
    rs::println("primes below " + std::to_string(limit) + ": " + std::to_string(total.load()));
}
