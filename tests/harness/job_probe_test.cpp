// tests/support/job_probe.hpp: the probe counts the threads jobs ran on, and a thread that has ended
// is not taken for the next one (whose std::thread::id may be the same).
#include <gtest/gtest.h>

#include <thread>

#include "job_probe.hpp"

TEST(Harness_JobProbe, JobsOnThreadsThatRanOneAfterAnotherCountAsManyThreads) {
    auto probe = support::JobProbe::make();
    for (int i = 0; i < 3; ++i) {
        std::thread([&probe] { const auto running = probe->enter(); }).join();
    }
    EXPECT_EQ(probe->counts().threads.size(), 3U) << "three threads, one after another, each ran a job";
}

TEST(Harness_JobProbe, JobsOnOneThreadCountAsOne) {
    auto probe = support::JobProbe::make();
    std::thread([&probe] {
        for (int i = 0; i < 3; ++i) const auto running = probe->enter();
    }).join();
    EXPECT_EQ(probe->counts().threads.size(), 1U);
    EXPECT_EQ(probe->counts().finished, 3U);
}
