#include "rs/fs.hpp"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace rs::fs {

io::Result<std::string> read_to_string(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Err(io::Error::last_os_error());
    std::string contents;
    char chunk[8192];
    while (true) {
        const ssize_t got = ::read(fd, chunk, sizeof chunk);
        if (got < 0) {
            if (errno == EINTR) continue;
            auto error = io::Error::last_os_error();
            ::close(fd);
            return Err(std::move(error));
        }
        if (got == 0) break;
        contents.append(chunk, static_cast<std::size_t>(got));
    }
    ::close(fd);
    if (!io::is_valid_utf8(contents)) return Err(io::invalid_utf8_error());
    return Ok(std::move(contents));
}

}  // namespace rs::fs
