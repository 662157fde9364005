// Stage 08, no-listing-07 (the book's full code at the end of the chapter): the same server as listing
// 21-25, with each worker's JoinHandle in an Option that the destructor take()s. Observed from outside,
// it shuts down exactly as 21-25 does.
#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_process.hpp"
#include "shutdown_log.hpp"

using namespace support;
using namespace std::chrono_literals;

TEST(Stage08_FinalCode, ServesTwoRequestsThenShutsDownInTheBooksOrderAndExitsZero) {
    auto server = ServerProcess::start(
        {.stage = "08-graceful-shutdown", .target = "no-listing-07-final-code", .slow_request_delay = 300ms});
    for (const char* path : {"/", "/sleep"}) {
        const auto record = send_request(server->address(), {.path = path});
        ASSERT_EQ(record.outcome, Outcome::Response) << path << ": " << record.error;
    }
    stage08::expect_a_graceful_shutdown_in_the_books_order(*server, 4);
}
