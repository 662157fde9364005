// Rust's std::io, as far as the listings use it: io::Error, io::Result, and BufReader with lines().
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "rs/result.hpp"

namespace rs::io {

// The subset of Rust's io::ErrorKind that a socket or file operation here can produce.
enum class ErrorKind {
    NotFound,
    PermissionDenied,
    ConnectionRefused,
    ConnectionReset,
    ConnectionAborted,
    NotConnected,
    AddrInUse,
    AddrNotAvailable,
    BrokenPipe,
    WouldBlock,
    InvalidInput,
    InvalidData,
    TimedOut,
    WriteZero,
    Interrupted,
    UnexpectedEof,
    Other,
};

[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;

class Error {
public:
    // An error the operating system reported (errno), like Rust's `Os { .. }` errors.
    static Error from_os(int code);
    static Error last_os_error();
    // An error the library itself raises, like Rust's `io::Error::new(kind, "...")`.
    Error(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

    [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
    [[nodiscard]] int raw_os_error() const noexcept { return os_code_; }  // 0 when not an OS error
    [[nodiscard]] const std::string& message() const noexcept { return message_; }
    // Rust's `{:?}`: `Os { code: 2, kind: NotFound, message: "No such file or directory" }`.
    [[nodiscard]] std::string debug() const;

private:
    Error(int os_code, ErrorKind kind, std::string message)
        : os_code_(os_code), kind_(kind), message_(std::move(message)) {}
    int os_code_ = 0;
    ErrorKind kind_;
    std::string message_;
};

template <class T>
using Result = rs::Result<T, Error>;

// Rust's String is UTF-8 by construction; lines() and read_to_string() refuse anything else with this.
[[nodiscard]] bool is_valid_utf8(std::string_view bytes) noexcept;
[[nodiscard]] Error invalid_utf8_error();

// Anything with Rust's Read::read: fill some of `buffer`, return how many bytes (0 at end of stream).
template <class R>
concept Read = requires(R& reader, std::span<char> buffer) {
    { reader.read(buffer) } -> std::same_as<Result<std::size_t>>;
};

// Rust's BufReader: reads from the inner reader in chunks of 8 KiB (Rust's default capacity), so
// reading a request line costs one read system call, not one per byte. Like Rust's
// `BufReader::new(&stream)`, it borrows the reader: the reader must outlive it.
template <Read R>
class BufReader {
public:
    static constexpr std::size_t default_capacity = 8 * 1024;

    explicit BufReader(R& inner, std::size_t capacity = default_capacity)
        : inner_(&inner), buffer_(std::make_unique<char[]>(capacity)), capacity_(capacity) {}

    // Rust's read_line: appends up to and including the next '\n' (or to end of stream) to `line`;
    // returns the number of bytes appended, 0 at end of stream.
    Result<std::size_t> read_line(std::string& line) {
        const std::size_t start = line.size();
        while (true) {
            if (pos_ == filled_) {
                auto got = inner_->read(std::span<char>(buffer_.get(), capacity_));
                if (got.is_err()) {
                    if (got.error().kind() == ErrorKind::Interrupted) continue;
                    return Err(std::move(got.error()));
                }
                pos_ = 0;
                filled_ = got.value();
                if (filled_ == 0) break;  // end of stream
            }
            const std::string_view available(buffer_.get() + pos_, filled_ - pos_);
            const auto newline = available.find('\n');
            const auto take = newline == std::string_view::npos ? available.size() : newline + 1;
            line.append(available.substr(0, take));
            pos_ += take;
            if (newline != std::string_view::npos) break;
        }
        if (!is_valid_utf8(std::string_view(line).substr(start))) {
            line.resize(start);
            return Err(invalid_utf8_error());
        }
        return Ok(line.size() - start);
    }

    // Rust's Lines: each next() yields one line without its "\n" or "\r\n"; None at end of stream.
    class Lines {
    public:
        explicit Lines(BufReader& reader) : reader_(&reader) {}

        Option<Result<std::string>> next() {
            std::string line;
            auto got = reader_->read_line(line);
            if (got.is_err()) return Result<std::string>(Err(std::move(got.error())));
            if (got.value() == 0) return None;
            if (line.ends_with('\n')) {
                line.pop_back();
                if (line.ends_with('\r')) line.pop_back();
            }
            return Result<std::string>(Ok(std::move(line)));
        }

    private:
        BufReader* reader_;
    };

    Lines lines() { return Lines(*this); }

    // What is buffered but not yet handed out (Rust's BufReader::buffer()).
    [[nodiscard]] std::string_view buffer() const noexcept {
        return {buffer_.get() + pos_, filled_ - pos_};
    }

private:
    R* inner_;
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_;
    std::size_t pos_ = 0;
    std::size_t filled_ = 0;
};

}  // namespace rs::io
