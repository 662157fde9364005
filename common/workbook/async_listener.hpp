// The async stages' listener (stages 10 and 11). It is bound as every stage binds —
// rs::net::TcpListener::bind, which prints `Listening on http://HOST:PORT` — and then handed to
// Asio's event loop, as async-std's `TcpListener::from(std::net::TcpListener)` hands a std listener
// to its reactor. Header-only, so that only the stages that use Asio include it.
#pragma once

#include <asio.hpp>

#include <fcntl.h>
#include <sys/socket.h>

#include "rs/net.hpp"
#include "rs/panic.hpp"

namespace workbook {

inline asio::ip::tcp::acceptor async_listener(const asio::any_io_executor& executor,
                                              const rs::net::TcpListener& listener) {
    // A copy of the socket for Asio; the rs::net listener keeps (and closes) its own.
    const int fd = ::fcntl(listener.native_handle(), F_DUPFD_CLOEXEC, 0);
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (fd < 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        rs::panic("cannot hand the listening socket to Asio");
    }
    auto acceptor = asio::ip::tcp::acceptor(
        executor, address.ss_family == AF_INET6 ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), fd);
    // The kernel's longest accept queue (SOMAXCONN) instead of Rust std's 128: one thread accepting
    // between handlers can fall behind a burst of hundreds of connections, and a connection the queue
    // has no room for is retried by the client a whole second later.
    acceptor.listen();
    return acceptor;
}

}  // namespace workbook
