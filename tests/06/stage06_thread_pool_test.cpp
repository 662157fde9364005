// Stage 06, listing 21-20: the ThreadPool itself (the listing's thread_pool.cpp, compiled in), driven by
// jobs that meet at a barrier or wait at a gate. No sleeps: each wait ends when the jobs get there.
// The checks are those of every pool that behaves like 21-20 (tests/support/pool_behaviour.hpp); stage
// 09 compiles this file against its own pool too.
#include <gtest/gtest.h>

#include "pool_behaviour.hpp"
#include "thread_pool.hpp"

POOL_TESTS_BEHAVING_LIKE_21_20(Stage06_ThreadPool, hello::ThreadPool)
