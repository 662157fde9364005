// src/lib.rs, the second unnumbered step: `new` takes the size and ignores it (rustc warns that `size`
// is unused; [[maybe_unused]] says the same to g++).
#include "thread_pool.hpp"

namespace hello {

ThreadPool::ThreadPool([[maybe_unused]] std::size_t size) {}

}  // namespace hello
