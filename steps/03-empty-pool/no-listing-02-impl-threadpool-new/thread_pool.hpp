// src/lib.rs, the second unnumbered step: ThreadPool::new(size), which C++ spells as a constructor.
// The Rust crate is `hello`; so is the namespace.
#pragma once

#include <cstddef>

namespace hello {

class ThreadPool {
public:
    explicit ThreadPool(std::size_t size);
};

}  // namespace hello
