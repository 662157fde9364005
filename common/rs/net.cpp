#include "rs/net.hpp"

#include "rs/print.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <utility>

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace rs::net {

namespace {

struct HostPort {
    std::string host;
    std::string port;
};

// "127.0.0.1:7878", "localhost:0", "[::1]:7878".
Option<HostPort> split_address(std::string_view address) {
    const auto colon = address.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == address.size()) return None;
    std::string_view host = address.substr(0, colon);
    if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
    if (host.empty()) return None;
    return HostPort{std::string(host), std::string(address.substr(colon + 1))};
}

io::Error invalid_address() { return {io::ErrorKind::InvalidInput, "invalid socket address"}; }

using AddrInfoList = std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)>;

io::Result<AddrInfoList> resolve(std::string_view address, bool passive) {
    auto parts = split_address(address);
    if (parts.is_none()) return Err(invalid_address());
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0);
    addrinfo* found = nullptr;
    if (::getaddrinfo(parts->host.c_str(), parts->port.c_str(), &hints, &found) != 0 || found == nullptr) {
        return Err(invalid_address());
    }
    return Ok(AddrInfoList(found, &::freeaddrinfo));
}

io::Result<std::string> format_address(const sockaddr_storage& storage) {
    char host[NI_MAXHOST];
    char port[NI_MAXSERV];
    if (::getnameinfo(reinterpret_cast<const sockaddr*>(&storage), sizeof storage, host, sizeof host, port,
                      sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return Err(invalid_address());
    }
    // Appended piece by piece: `"[" + std::string(host) + "]"` trips GCC 12's -Wrestrict false
    // positive (a memcpy "overlap" inside std::string's insert) at -O3, which -Werror makes fatal.
    const bool ipv6 = storage.ss_family == AF_INET6;
    std::string text;
    if (ipv6) text += '[';
    text += host;
    if (ipv6) text += ']';
    text += ':';
    text += port;
    return Ok(std::move(text));
}

template <class GetName>
io::Result<std::string> socket_address(int fd, GetName get_name) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (get_name(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return Err(io::Error::last_os_error());
    return format_address(storage);
}

// Rust's each_addr: a new socket for each address `address` resolves to, until `setup` succeeds on
// one; that socket, or the last error.
template <class Setup>
io::Result<int> open_first(std::string_view address, bool passive, Setup setup) {
    auto list = resolve(address, passive);
    if (list.is_err()) return Err(std::move(list.error()));
    io::Error last = invalid_address();
    for (addrinfo* ai = list.value().get(); ai != nullptr; ai = ai->ai_next) {
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd >= 0 && setup(fd, *ai)) return Ok(fd);
        last = io::Error::last_os_error();  // before close(), which may change errno
        if (fd >= 0) ::close(fd);
    }
    return Err(std::move(last));
}

}  // namespace

// --- OwnedFd ---

OwnedFd& OwnedFd::operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

OwnedFd::~OwnedFd() {
    if (fd_ < 0) return;
    ::close(fd_);
}

// --- TcpStream ---

io::Result<TcpStream> TcpStream::connect(std::string_view address) {
    auto fd = open_first(address, false, [](int socket, const addrinfo& ai) {
        return ::connect(socket, ai.ai_addr, ai.ai_addrlen) == 0;
    });
    if (fd.is_err()) return Err(std::move(fd.error()));
    return Ok(TcpStream(fd.value()));
}

io::Result<std::size_t> TcpStream::read(std::span<char> buffer) {
    while (true) {
        const ssize_t got = ::recv(fd_.get(), buffer.data(), buffer.size(), 0);
        if (got >= 0) return Ok(static_cast<std::size_t>(got));
        if (errno != EINTR) return Err(io::Error::last_os_error());
    }
}

io::Result<Unit> TcpStream::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t sent = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return Err(io::Error::last_os_error());
        }
        if (sent == 0) return Err(io::Error(io::ErrorKind::WriteZero, "failed to write whole buffer"));
        bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return Ok();
}

io::Result<Unit> TcpStream::set_read_timeout(Option<std::chrono::milliseconds> timeout) {
    timeval tv{};
    if (timeout.is_some()) {
        if (timeout->count() <= 0) {
            return Err(io::Error(io::ErrorKind::InvalidInput, "cannot set a 0 duration timeout"));
        }
        tv.tv_sec = static_cast<time_t>(timeout->count() / 1000);
        tv.tv_usec = static_cast<suseconds_t>((timeout->count() % 1000) * 1000);
    }
    if (::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) return Err(io::Error::last_os_error());
    return Ok();
}

io::Result<Unit> TcpStream::shutdown(Shutdown how) {
    const int native = how == Shutdown::Read ? SHUT_RD : how == Shutdown::Write ? SHUT_WR : SHUT_RDWR;
    if (::shutdown(fd_.get(), native) != 0) return Err(io::Error::last_os_error());
    return Ok();
}

io::Result<std::string> TcpStream::peer_addr() const { return socket_address(fd_.get(), ::getpeername); }

// --- TcpListener ---

Incoming::iterator::value_type Incoming::iterator::operator*() const { return listener_->accept(); }

io::Result<TcpListener> TcpListener::bind(std::string_view address) {
    auto fd = open_first(address, true, [](int socket, const addrinfo& ai) {
        const int on = 1;  // as Rust does on Unix, so a restarted server can rebind at once
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        return ::bind(socket, ai.ai_addr, ai.ai_addrlen) == 0 && ::listen(socket, 128) == 0;
    });
    if (fd.is_err()) return Err(std::move(fd.error()));
    TcpListener listener(fd.value());
    if (auto bound = listener.local_addr(); bound.is_ok()) rs::println("Listening on http://" + bound.value());
    return Ok(std::move(listener));
}

io::Result<TcpStream> TcpListener::accept() {
    while (true) {
        const int fd = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) return Ok(TcpStream(fd));
        if (errno != EINTR) return Err(io::Error::last_os_error());
    }
}

io::Result<std::string> TcpListener::local_addr() const { return socket_address(fd_.get(), ::getsockname); }

}  // namespace rs::net
