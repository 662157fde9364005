// TODO(exercise): define what thread_pool.hpp declares; the constructor panics if the size is zero.
#include "thread_pool.hpp"
