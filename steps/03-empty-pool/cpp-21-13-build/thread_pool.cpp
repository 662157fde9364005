// A C++-only variant of listing 21-13 (src/lib.rs): a size of zero is an Err, not a panic.
#include "thread_pool.hpp"

namespace hello {

rs::Result<ThreadPool, PoolCreationError> ThreadPool::build(std::size_t size) {
    if (size == 0) return rs::Err(PoolCreationError{});

    return rs::Ok(ThreadPool());
}

}  // namespace hello
