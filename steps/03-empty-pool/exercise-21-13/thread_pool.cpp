// TODO(exercise): define what thread_pool.hpp declares (RS_ASSERT(size > 0) in the constructor).
// Docs: docs/03-empty-pool.md
#include "thread_pool.hpp"
