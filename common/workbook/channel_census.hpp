// For the workbook's tests of stages 04 and 05, whose servers do nothing observable yet: which channels
// a piece of code made, so that a test can check that ThreadPool's constructor makes one channel of Jobs
// and that the pool keeps its Sender. Not part of Rust's std: rs::sync::mpsc reports each channel it
// makes here. Off until a test calls watch(); unset, each channel costs one check of a flag, and the
// census holds its channels weakly (it keeps nothing alive).
#pragma once

#include <memory>
#include <typeinfo>
#include <vector>

namespace workbook::channel_census {

struct Channel {
    std::weak_ptr<void> state;     // the channel's shared state (rs::sync::mpsc::detail::Shared<T>)
    const std::type_info* type{};  // T, what the channel carries
};

// Starts (or starts again) the census: forgets the channels made before.
void watch();

// Called by rs::sync::mpsc for each channel it makes.
void made(Channel channel);

// The channels made since watch(), in order.
[[nodiscard]] std::vector<Channel> channels_made();

}  // namespace workbook::channel_census
