#include "rs/io.hpp"

#include <cerrno>
#include <cstring>

namespace rs::io {

namespace {

ErrorKind kind_of(int code) noexcept {
    switch (code) {
        case ENOENT: return ErrorKind::NotFound;
        case EACCES:
        case EPERM: return ErrorKind::PermissionDenied;
        case ECONNREFUSED: return ErrorKind::ConnectionRefused;
        case ECONNRESET: return ErrorKind::ConnectionReset;
        case ECONNABORTED: return ErrorKind::ConnectionAborted;
        case ENOTCONN: return ErrorKind::NotConnected;
        case EADDRINUSE: return ErrorKind::AddrInUse;
        case EADDRNOTAVAIL: return ErrorKind::AddrNotAvailable;
        case EPIPE: return ErrorKind::BrokenPipe;
        case EAGAIN: return ErrorKind::WouldBlock;
        case EINVAL: return ErrorKind::InvalidInput;
        case ETIMEDOUT: return ErrorKind::TimedOut;
        case EINTR: return ErrorKind::Interrupted;
        default: return ErrorKind::Other;
    }
}

}  // namespace

std::string_view to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::NotFound: return "NotFound";
        case ErrorKind::PermissionDenied: return "PermissionDenied";
        case ErrorKind::ConnectionRefused: return "ConnectionRefused";
        case ErrorKind::ConnectionReset: return "ConnectionReset";
        case ErrorKind::ConnectionAborted: return "ConnectionAborted";
        case ErrorKind::NotConnected: return "NotConnected";
        case ErrorKind::AddrInUse: return "AddrInUse";
        case ErrorKind::AddrNotAvailable: return "AddrNotAvailable";
        case ErrorKind::BrokenPipe: return "BrokenPipe";
        case ErrorKind::WouldBlock: return "WouldBlock";
        case ErrorKind::InvalidInput: return "InvalidInput";
        case ErrorKind::InvalidData: return "InvalidData";
        case ErrorKind::TimedOut: return "TimedOut";
        case ErrorKind::WriteZero: return "WriteZero";
        case ErrorKind::Interrupted: return "Interrupted";
        case ErrorKind::UnexpectedEof: return "UnexpectedEof";
        case ErrorKind::Other: return "Other";
    }
    return "Other";
}

Error Error::from_os(int code) { return Error(code, kind_of(code), std::strerror(code)); }

Error Error::last_os_error() { return from_os(errno); }

std::string Error::debug() const {
    if (os_code_ != 0) {
        return "Os { code: " + std::to_string(os_code_) + ", kind: " + std::string(to_string(kind_)) +
               ", message: \"" + message_ + "\" }";
    }
    return "Error { kind: " + std::string(to_string(kind_)) + ", message: \"" + message_ + "\" }";
}

bool is_valid_utf8(std::string_view bytes) noexcept {
    std::size_t i = 0;
    while (i < bytes.size()) {
        const auto lead = static_cast<unsigned char>(bytes[i]);
        std::size_t length = 0;
        char32_t code_point = 0;
        char32_t smallest = 0;
        if (lead < 0x80) {
            ++i;
            continue;
        } else if ((lead & 0xE0U) == 0xC0U) {
            length = 2, code_point = lead & 0x1FU, smallest = 0x80;
        } else if ((lead & 0xF0U) == 0xE0U) {
            length = 3, code_point = lead & 0x0FU, smallest = 0x800;
        } else if ((lead & 0xF8U) == 0xF0U) {
            length = 4, code_point = lead & 0x07U, smallest = 0x10000;
        } else {
            return false;
        }
        if (i + length > bytes.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(bytes[i + k]);
            if ((next & 0xC0U) != 0x80U) return false;
            code_point = (code_point << 6U) | (next & 0x3FU);
        }
        // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8.
        if (code_point < smallest || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
            return false;
        }
        i += length;
    }
    return true;
}

Error invalid_utf8_error() { return Error(ErrorKind::InvalidData, "stream did not contain valid UTF-8"); }

}  // namespace rs::io
