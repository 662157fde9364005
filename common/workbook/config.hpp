// The two values a learner or a test may change without touching a listing. Each listing keeps the
// book's literal as the argument, so the code reads as the book's:
//   TcpListener::bind(workbook::listen_addr("127.0.0.1:7878"))
//   thread::sleep(workbook::slow_request_delay(std::chrono::seconds(5)))
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace workbook {

// WORKBOOK_ADDR if set (e.g. "127.0.0.1:0" for any free port), else the book's address.
[[nodiscard]] std::string listen_addr(std::string_view book_address);

// WORKBOOK_SLEEP_MS if set (milliseconds), else the book's delay.
[[nodiscard]] std::chrono::milliseconds slow_request_delay(std::chrono::milliseconds book_delay);

}  // namespace workbook
