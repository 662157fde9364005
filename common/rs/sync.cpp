#include "rs/sync.hpp"

namespace rs::sync {

void RawMutex::lock() { mutex_.lock(); }

void RawMutex::unlock() noexcept { mutex_.unlock(); }

}  // namespace rs::sync
