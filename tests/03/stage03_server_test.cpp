// Stage 03: every runnable server of the stage (the unnumbered step 3, listings 21-13 to 21-15 and the
// build() variant) has a ThreadPool whose execute() drops the job it is given. The job owns the
// connection, so each connection is closed at once, without a response, and nothing else happens.
#include <gtest/gtest.h>

#include <string>

#include "dropped_jobs.hpp"

using namespace support;

struct Stage03_DroppedJobs : DroppedJobsServer {
    Stage03_DroppedJobs() : DroppedJobsServer("03-empty-pool") {}
};
WORKBOOK_DROPPED_JOBS_TESTS(Stage03_DroppedJobs)

INSTANTIATE_TEST_SUITE_P(Stage03, Stage03_DroppedJobs,
                         testing::Values("no-listing-03-define-execute", "listing-21-13",
                                         "cpp-21-13-build", "listing-21-14", "listing-21-15"),
                         [](const auto& listing) { return as_test_name(listing.param); });
