#include "rs/print.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace rs {

void println(std::string_view line) {
    static std::mutex stdout_lock;
    const std::string text = std::string(line) + "\n";
    const std::lock_guard lock(stdout_lock);
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
}

}  // namespace rs
