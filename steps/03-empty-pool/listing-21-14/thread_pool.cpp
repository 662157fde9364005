// Listing 21-14 (src/lib.rs): room for `size` threads (Vec::with_capacity is reserve), none created yet.
#include "thread_pool.hpp"

#include "rs/panic.hpp"

namespace hello {

ThreadPool::ThreadPool(std::size_t size) {
    RS_ASSERT(size > 0);

    threads_.reserve(size);

    for (std::size_t i = 0; i < size; ++i) {
        // create some threads and store them in the vector
    }
}

}  // namespace hello
