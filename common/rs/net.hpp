// Rust's std::net, as far as the listings use it: TcpListener (bind, incoming) and TcpStream
// (read, write_all, a read timeout), over POSIX sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "rs/io.hpp"

namespace rs::net {

enum class Shutdown { Read, Write, Both };

// A file descriptor with one owner: closed when destroyed, handed over when moved.
class OwnedFd {
public:
    explicit OwnedFd(int fd) noexcept : fd_(fd) {}
    OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    OwnedFd& operator=(OwnedFd&& other) noexcept;
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd();

    [[nodiscard]] int get() const noexcept { return fd_; }

private:
    int fd_;
};

// A connected socket; closed when destroyed (Rust: when dropped). Move-only, like an owned value.
class TcpStream {
public:
    // Client side, for tests: connect to "HOST:PORT".
    static io::Result<TcpStream> connect(std::string_view address);

    explicit TcpStream(int fd) noexcept : fd_(fd) {}

    // Rust's Read::read: one recv(); Ok(0) at end of stream.
    io::Result<std::size_t> read(std::span<char> buffer);
    // Rust's Write::write_all: sends everything, retrying short writes. A peer that has gone away is
    // an Err(BrokenPipe), not a SIGPIPE (Rust ignores SIGPIPE; here each send asks for no signal).
    io::Result<Unit> write_all(std::string_view bytes);
    // Rust's set_read_timeout: None blocks forever; a read that times out is an Err(WouldBlock).
    io::Result<Unit> set_read_timeout(Option<std::chrono::milliseconds> timeout);
    io::Result<Unit> shutdown(Shutdown how);
    io::Result<std::string> peer_addr() const;

    [[nodiscard]] int native_handle() const noexcept { return fd_.get(); }

private:
    OwnedFd fd_;
};

class TcpListener;

// Rust's Incoming: an endless input range; each element is one accept(), as an io::Result.
class Incoming {
public:
    class iterator {
    public:
        using value_type = io::Result<TcpStream>;
        using difference_type = std::ptrdiff_t;
        iterator() = default;
        explicit iterator(TcpListener* listener) : listener_(listener) {}
        value_type operator*() const;
        iterator& operator++() { return *this; }
        void operator++(int) {}
        friend bool operator==(const iterator&, std::unreachable_sentinel_t) { return false; }

    private:
        TcpListener* listener_ = nullptr;
    };

    explicit Incoming(TcpListener& listener) : listener_(&listener) {}
    [[nodiscard]] iterator begin() const { return iterator(listener_); }
    [[nodiscard]] std::unreachable_sentinel_t end() const { return {}; }

private:
    TcpListener* listener_;
};

class TcpListener {
public:
    // Rust's TcpListener::bind("HOST:PORT"). Port 0 picks a free port. On success it prints
    // `Listening on http://HOST:PORT` with the real port and flushes stdout: the workbook's one
    // addition to the book's servers, so that people and tests know where to connect.
    static io::Result<TcpListener> bind(std::string_view address);


    io::Result<TcpStream> accept();
    Incoming incoming() { return Incoming(*this); }
    [[nodiscard]] io::Result<std::string> local_addr() const;
    // Rust's AsRawFd: the socket, still owned by the listener (for poll() in stage 09; Asio takes a copy in 10, 11).
    [[nodiscard]] int native_handle() const noexcept { return fd_.get(); }

private:
    explicit TcpListener(int fd) noexcept : fd_(fd) {}
    OwnedFd fd_;
};

}  // namespace rs::net

template <>
inline constexpr bool std::ranges::enable_borrowed_range<rs::net::Incoming> = true;
