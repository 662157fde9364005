// Listing 21-13 (src/lib.rs): assert!(size > 0), Rust's always-checked assertion, which panics.
#include "thread_pool.hpp"

#include "rs/panic.hpp"

namespace hello {

ThreadPool::ThreadPool(std::size_t size) {
    RS_ASSERT(size > 0);
}

}  // namespace hello
