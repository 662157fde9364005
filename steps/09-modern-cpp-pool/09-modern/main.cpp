// Stage 09 (beyond the book): stage 08's server, with the pool as C++ writes it today. It serves until
// SIGINT (Ctrl-C) or SIGTERM, then stops taking connections, answers every request it has accepted,
// and exits with status 0. Errors are exceptions: a failing request ends only that request.
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "rs/net.hpp"
#include "thread_pool.hpp"
#include "workbook/config.hpp"

using hello::ThreadPool;
using rs::net::OwnedFd;
using rs::net::TcpListener;
using rs::net::TcpStream;

namespace {

void handle_connection(TcpStream stream);

// The sockets come from common/ (rs::net), which reports errors as values; here they become exceptions.
template <class T>
T or_throw(rs::io::Result<T> result, const std::string& doing) {
    if (result.is_ok()) return std::move(result.value());
    const auto& error = result.error();
    if (error.raw_os_error() != 0) throw std::system_error(error.raw_os_error(), std::system_category(), doing);
    throw std::runtime_error(doing + ": " + error.message());
}

// SIGINT and SIGTERM, blocked in every thread (the mask is inherited, so block them before the pool
// starts any) and taken by a thread of their own (sigwait), which then writes a byte into a pipe: its
// read end is a file descriptor the accept loop can wait on. (POSIX only; Linux's signalfd does both.)
OwnedFd stop_signals_as_fd() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    if (const int error = pthread_sigmask(SIG_BLOCK, &signals, nullptr); error != 0) {
        throw std::system_error(error, std::system_category(), "pthread_sigmask");
    }
    std::array<int, 2> pipe_ends{};
    if (pipe(pipe_ends.data()) != 0) throw std::system_error(errno, std::system_category(), "pipe");
    auto read_end = OwnedFd(pipe_ends[0]);
    std::thread([signals, write_end = OwnedFd(pipe_ends[1])] {
        int received = 0;
        // Should either call fail, no byte would come and the server could not be stopped: end it now.
        if (sigwait(&signals, &received) != 0 || write(write_end.get(), "", 1) != 1) std::terminate();
    }).detach();
    return read_end;
}

// Waits until a client connects (true) or a stop signal arrives (false).
bool wait_for_connection(const TcpListener& listener, const OwnedFd& stop_signals) {
    std::array<pollfd, 2> watched{{{listener.native_handle(), POLLIN, 0}, {stop_signals.get(), POLLIN, 0}}};
    while (true) {
        if (poll(watched.data(), watched.size(), -1) < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::system_category(), "poll");
        }
        if (watched[1].revents != 0) return false;
        if (watched[0].revents != 0) return true;
    }
}

}  // namespace

int main() try {
    const auto stop_signals = stop_signals_as_fd();
    auto listener = or_throw(TcpListener::bind(workbook::listen_addr("127.0.0.1:7878")), "bind");
    auto pool = ThreadPool(4);

    while (wait_for_connection(listener, stop_signals)) {
        auto stream = or_throw(listener.accept(), "accept");

        pool.execute([stream = std::move(stream)]() mutable {
            handle_connection(std::move(stream));
        });
    }

    std::cout << "Shutting down." << std::endl;
}  // the pool is destroyed here: every accepted request is answered before main returns 0
catch (const std::exception& error) {
    std::cerr << "error: " << error.what() << std::endl;
    return 1;
}

namespace {

// How long a client may take to send its request line: an idle client would otherwise keep its worker
// in read() for ever, and the shutdown waits for every worker (stage 08's listing cpp-21-25-read-timeout).
constexpr auto request_timeout = std::chrono::milliseconds(2000);

// The request's first line, without its line ending. Throws if the client closes before sending one,
// or sends none within the timeout.
std::string read_request_line(TcpStream& stream) {
    or_throw(stream.set_read_timeout(request_timeout), "setting the read timeout");
    std::string received;
    std::array<char, 1024> buffer{};
    while (received.find('\n') == std::string::npos) {
        const auto count = or_throw(stream.read(buffer), "reading the request");
        if (count == 0) throw std::runtime_error("the client closed the connection before sending a request line");
        received.append(buffer.data(), count);
    }
    received.resize(received.find('\n'));
    if (received.ends_with('\r')) received.pop_back();
    return received;
}

std::string read_file(const std::string& filename) {
    std::ifstream file(filename, std::ios::binary);
    if (!file) throw std::runtime_error("cannot open " + filename);
    // The whole buffer at once: istreambuf_iterator would copy it a character at a time, which the
    // unoptimised build made most of the server's user-space work per `/` (docs/09-modern-cpp-pool.md).
    std::ostringstream contents;
    contents << file.rdbuf();
    return std::move(contents).str();
}

void handle_connection(TcpStream stream) {
    const auto request_line = read_request_line(stream);

    const auto [status_line, filename] = [&]() -> std::pair<std::string, std::string> {
        if (request_line == "GET / HTTP/1.1") return {"HTTP/1.1 200 OK", "hello.html"};
        if (request_line == "GET /sleep HTTP/1.1") {
            std::this_thread::sleep_for(workbook::slow_request_delay(std::chrono::seconds(5)));
            return {"HTTP/1.1 200 OK", "hello.html"};
        }
        return {"HTTP/1.1 404 NOT FOUND", "404.html"};
    }();

    const auto contents = read_file(filename);
    const auto length = contents.size();

    const auto response = status_line + "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n" + contents;

    or_throw(stream.write_all(response), "writing the response");
}

}  // namespace
