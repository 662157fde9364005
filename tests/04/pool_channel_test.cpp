// Stages 04 and 05 (listings 21-17 and 21-19, compiled in with POOL_SUITE naming the suite): what
// ThreadPool's constructor builds, seen through the channels it makes (workbook/channel_census.hpp),
// since these servers drop or never run their jobs. As in the book: one channel of Jobs, made in
// new() for all the Workers, whose Sender the pool keeps for as long as it lives.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <typeinfo>

#include "rs/mpsc.hpp"
#include "thread_pool.hpp"
#include "workbook/channel_census.hpp"

using hello::Job;
using hello::ThreadPool;
namespace census = workbook::channel_census;

namespace {

// The channel's state, or nullptr once both ends are gone. Only for a channel of Jobs.
std::shared_ptr<rs::sync::mpsc::detail::Shared<Job>> state_of(const census::Channel& channel) {
    return std::static_pointer_cast<rs::sync::mpsc::detail::Shared<Job>>(channel.state.lock());
}

std::size_t channels_of_jobs(const std::vector<census::Channel>& channels) {
    return static_cast<std::size_t>(
        std::ranges::count_if(channels, [](const auto& channel) { return *channel.type == typeid(Job); }));
}

}  // namespace

TEST(POOL_SUITE, NewMakesOneChannelOfJobsForAllTheWorkers) {
    census::watch();
    const auto pool = ThreadPool(4);
    const auto channels = census::channels_made();
    const std::size_t of_jobs = channels_of_jobs(channels);
    ::testing::Test::RecordProperty("observed", "ThreadPool(4) made " + std::to_string(channels.size())
                                                    + " channel(s), " + std::to_string(of_jobs)
                                                    + " of them of Jobs");
    ::testing::Test::RecordProperty("expected", "1 channel of Jobs");
    EXPECT_EQ(channels.size(), 1U) << "ThreadPool(4) should make exactly one channel (mpsc::channel<Job>())";
    EXPECT_EQ(of_jobs, 1U) << "the channel should carry Jobs";
}

TEST(POOL_SUITE, ThePoolKeepsTheSenderForAsLongAsItLives) {
    census::watch();
    std::size_t senders_while_the_pool_lives = 0;
    std::optional<census::Channel> jobs_channel;  // the first channel of Jobs new() made
    {
        const auto pool = ThreadPool(4);
        for (const auto& channel : census::channels_made()) {
            if (!jobs_channel && *channel.type == typeid(Job)) jobs_channel = channel;
        }
        ASSERT_TRUE(jobs_channel.has_value())
            << "ThreadPool(4) made no channel of Jobs, so it keeps no Sender";
        if (const auto state = state_of(*jobs_channel)) {
            const std::lock_guard lock(state->mutex);
            senders_while_the_pool_lives = state->senders;
        }
    }
    std::size_t senders_after = 0;
    if (const auto state = state_of(*jobs_channel)) {
        const std::lock_guard lock(state->mutex);
        senders_after = state->senders;
    }
    ::testing::Test::RecordProperty(
        "observed", "Senders of the channel: " + std::to_string(senders_while_the_pool_lives)
                        + " while the pool lived, " + std::to_string(senders_after) + " after");
    ::testing::Test::RecordProperty("expected", "1 while the pool lives, 0 after");
    EXPECT_EQ(senders_while_the_pool_lives, 1U)
        << "the pool should keep the channel's Sender (a member, sender_)";
    EXPECT_EQ(senders_after, 0U) << "the Sender should go with the pool";
}
