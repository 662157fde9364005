#include "rs/thread.hpp"

#include <cstdio>
#include <string>

namespace rs::thread::detail {

void report_foreign_exception(const std::exception_ptr& error) {
    std::string what = "an exception that is not a std::exception";
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        what = e.what();
    } catch (...) {
    }
    const std::string text = "thread '" + current_thread_name() + "' panicked:\n" + what + "\n";
    std::fputs(text.c_str(), stderr);
    std::fflush(stderr);
}

}  // namespace rs::thread::detail
