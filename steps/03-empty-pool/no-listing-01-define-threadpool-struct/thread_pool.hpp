// src/lib.rs, the first unnumbered step after listing 21-12: the simplest ThreadPool there can be.
// The Rust crate is `hello`; so is the namespace.
#pragma once

namespace hello {

class ThreadPool {};

}  // namespace hello
