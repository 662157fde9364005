#include "terminal.hpp"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

namespace support {

bool use_colour(const std::string& choice) {
    if (choice != "auto") return choice == "always";
    const char* no_colour = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return ::isatty(STDOUT_FILENO) != 0 && (no_colour == nullptr || *no_colour == '\0') &&
           !(term != nullptr && std::string(term) == "dumb");
}

int terminal_width(int requested) {
    if (requested > 0) return requested;
    winsize size{};
    if (::isatty(STDOUT_FILENO) != 0 && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return std::min(static_cast<int>(size.ws_col), 100);  // wider bars add nothing
    }
    return 80;
}

std::string bold(const std::string& text, bool colour) { return colour ? "\x1b[1m" + text + "\x1b[0m" : text; }

std::string wrapped(const std::string& text, int width, std::size_t indent) {
    std::string result;
    std::size_t line_length = 0;
    for (std::size_t start = 0; start < text.size();) {
        const auto end = std::min(text.find(' ', start), text.size());
        const auto word = text.substr(start, end - start);
        if (line_length > 0 && line_length + 1 + word.size() > static_cast<std::size_t>(width)) {
            result += '\n';  // not `"\n" + std::string(...)`: GCC 12's -Wrestrict false positive at -O3
            result.append(indent, ' ');
            line_length = indent;
        } else if (line_length > 0) {
            result += ' ';
            ++line_length;
        }
        result += word;
        line_length += word.size();
        start = end + 1;
    }
    return result;
}

void print_server_log(const ServerProcess& server, std::ostream& out, std::size_t max_lines) {
    std::vector<std::string> lines;
    for (const auto& line : server.stdout_lines()) {
        if (!line.starts_with("Listening on ")) lines.push_back(line);
    }
    const std::string errors = server.stderr_text();
    for (std::size_t start = 0; start < errors.size();) {
        const auto end = std::min(errors.find('\n', start), errors.size());
        lines.push_back(errors.substr(start, end - start));
        start = end + 1;
    }
    if (lines.empty()) return;
    out << "The server said:\n";
    for (std::size_t i = 0; i < lines.size() && i < max_lines; ++i) out << "  " << lines[i] << "\n";
    if (lines.size() > max_lines) out << "  (" << lines.size() - max_lines << " more lines)\n";
}

}  // namespace support
