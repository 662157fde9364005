// Stage 04, listings 21-16 and 21-17: the pool now makes a channel, but execute() still drops the job
// (and the receiver is gone as soon as the pool is built: in 21-16 with the constructor's local, in
// 21-17 with the first Worker's thread). Every connection is closed unanswered; the server lives on.
#include <gtest/gtest.h>

#include <string>

#include "dropped_jobs.hpp"

using namespace support;

struct Stage04_DroppedJobs : DroppedJobsServer {
    Stage04_DroppedJobs() : DroppedJobsServer("04-channel") {}
};
WORKBOOK_DROPPED_JOBS_TESTS(Stage04_DroppedJobs)

INSTANTIATE_TEST_SUITE_P(Stage04, Stage04_DroppedJobs, testing::Values("listing-21-16", "listing-21-17"),
                         [](const auto& listing) { return as_test_name(listing.param); });
