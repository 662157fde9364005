// The lock trace from inside one program linked with it (lock_trace_dep): what an rs::sync::Mutex, an
// rs::println line and a socket's close write, in order, and that a moved-from stream, which owns no
// socket, closes nothing (a job's end is its connection's close).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <sys/socket.h>
#include <unistd.h>

#include "rs/net.hpp"
#include "rs/print.hpp"
#include "rs/sync.hpp"

namespace {

// The events of the trace, without their time and thread: `wait`, `say TEXT`, ...
std::vector<std::string> events(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::vector<std::string> read;
    for (std::string time, thread, event; file >> time >> thread && std::getline(file >> std::ws, event);) {
        read.push_back(event);
    }
    return read;
}

}  // namespace

TEST(Demo_LockTraceWriter, RecordsTheLockALineAndOneCloseASocket) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("workbook-lock-trace-writer-" + std::to_string(::getpid()) + ".txt");
    std::filesystem::remove(path);
    ::setenv("WORKBOOK_LOCK_TRACE", path.c_str(), 1);  // read once, at the first event
    {
        rs::sync::Mutex<int> mutex(0);
        auto guard = mutex.lock();
    }
    rs::println("Worker 0 got a job; executing.");
    {
        rs::net::OwnedFd socket(::socket(AF_INET, SOCK_STREAM, 0));
        ASSERT_GE(socket.get(), 0);
        const rs::net::OwnedFd owner = std::move(socket);  // `socket` is left owning nothing
    }
    EXPECT_EQ(events(path), (std::vector<std::string>{"wait", "acquired", "released",
                                                      "say Worker 0 got a job; executing.", "close"}));
    std::filesystem::remove(path);
}
