#include "workbook/channel_census.hpp"

#include <atomic>
#include <mutex>

namespace workbook::channel_census {

namespace {

std::atomic<bool> watching{false};
std::mutex census_mutex;
std::vector<Channel> census;

}  // namespace

void watch() {
    const std::lock_guard lock(census_mutex);
    census.clear();
    watching = true;
}

void made(Channel channel) {
    if (!watching) return;
    const std::lock_guard lock(census_mutex);
    census.push_back(std::move(channel));
}

std::vector<Channel> channels_made() {
    const std::lock_guard lock(census_mutex);
    return census;
}

}  // namespace workbook::channel_census
