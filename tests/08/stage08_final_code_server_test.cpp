// Stage 08, no-listing-07 (the book's full code at the end of the chapter: listing 21-25's server and
// pool), and the same code as earlier editions of the book wrote it (each worker's JoinHandle in an
// Option that the destructor take()s). Observed from outside, both shut down exactly as 21-25 does.
#include <gtest/gtest.h>

#include <string>

#include "http_client.hpp"
#include "server_checks.hpp"
#include "server_process.hpp"
#include "shutdown_log.hpp"

using namespace support;
using namespace std::chrono_literals;

class Stage08_FinalCode : public testing::TestWithParam<const char*> {};

INSTANTIATE_TEST_SUITE_P(, Stage08_FinalCode,
                         testing::Values("no-listing-07-final-code", "older-edition-no-listing-07"),
                         [](const testing::TestParamInfo<const char*>& target) {
                             return std::string(target.param) == "no-listing-07-final-code" ? "book"
                                                                                            : "older_edition";
                         });

TEST_P(Stage08_FinalCode, RootSleepAndAnotherPathAnswerAsTheBookByteForByte) {
    // Two connections, then the server stops: started twice for the three requests.
    ASSERT_NO_FATAL_FAILURE(
        expect_the_books_three_answers({.stage = "08-graceful-shutdown", .target = GetParam()}, 2));
}

TEST_P(Stage08_FinalCode, ServesTwoRequestsThenShutsDownInTheBooksOrderAndExitsZero) {
    auto server = ServerProcess::start(
        {.stage = "08-graceful-shutdown", .target = GetParam(), .slow_request_delay = 300ms});
    for (const char* path : {"/", "/sleep"}) {
        const auto record = send_request(server->address(), {.path = path});
        ASSERT_EQ(record.outcome, Outcome::Response) << path << ": " << record.error;
    }
    stage08::expect_a_graceful_shutdown_in_the_books_order(*server, 4);
}
