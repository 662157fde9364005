// A child for the harness's own tests: announces itself as a server would, then writes its last lines
// (after a burst of output that keeps the reading threads busy) and exits at once, with status 101.
// argv[1]: how many bytes of filler to write to each stream first; argv[2] `stay`: wait to be killed instead.
#include <cstdlib>
#include <string>
#include <string_view>

#include <unistd.h>

namespace {

void write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        const ssize_t written = ::write(fd, text.data(), text.size());
        if (written <= 0) ::_exit(3);
        text.remove_prefix(static_cast<std::size_t>(written));
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t filler_bytes = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 0;
    std::string filler;
    while (filler.size() < filler_bytes) filler += "filler line\n";
    write_all(STDOUT_FILENO, "Listening on http://127.0.0.1:1\n");
    write_all(STDOUT_FILENO, filler);
    write_all(STDERR_FILENO, filler);
    write_all(STDOUT_FILENO, "the last line on stdout\n");
    write_all(STDERR_FILENO, "the last line on stderr\n");
    if (argc > 2 && std::string_view(argv[2]) == "stay") {
        while (true) ::pause();
    }
    ::_exit(101);  // no flushing, no destructors: gone the moment the lines are written
}
