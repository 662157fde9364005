// Stage 07, the literal C++ translation of listing 21-21 (C++ only): `while (auto job =
// receiver->lock().unwrap()->recv())` destroys the guard before the body runs, so, unlike Rust's
// listing 21-21, this pool runs four jobs at once: it passes every check of a pool that behaves like
// 21-20 (tests/support/pool_behaviour.hpp).
#include <gtest/gtest.h>

#include "pool_behaviour.hpp"
#include "thread_pool.hpp"

POOL_TESTS_BEHAVING_LIKE_21_20(Stage07_LiteralThreadPool, hello::ThreadPool)
