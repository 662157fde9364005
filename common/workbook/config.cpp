#include "workbook/config.hpp"

#include <charconv>
#include <cstdlib>

#include "rs/panic.hpp"

namespace workbook {

std::string listen_addr(std::string_view book_address) {
    const char* configured = std::getenv("WORKBOOK_ADDR");
    return configured != nullptr && *configured != '\0' ? std::string(configured) : std::string(book_address);
}

std::chrono::milliseconds slow_request_delay(std::chrono::milliseconds book_delay) {
    const char* configured = std::getenv("WORKBOOK_SLEEP_MS");
    if (configured == nullptr || *configured == '\0') return book_delay;
    const std::string_view text(configured);
    long long milliseconds = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), milliseconds);
    if (error != std::errc() || end != text.data() + text.size() || milliseconds < 0) {
        rs::panic("WORKBOOK_SLEEP_MS must be a whole number of milliseconds, not \"" + std::string(text) + "\"");
    }
    return std::chrono::milliseconds(milliseconds);
}

}  // namespace workbook
