#include "terminal.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

namespace support {

CommandLine::CommandLine(int argc, char** argv, std::string program, std::string usage, const std::set<std::string>& flags)
    : program_(std::move(program)), usage_(std::move(usage)) {
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (!argument.starts_with("--")) {
            words_.push_back(argument);
        } else if (flags.contains(argument)) {
            options_.emplace_back(argument, "");
        } else if (i + 1 < argc) {
            options_.emplace_back(argument, argv[++i]);
        } else {
            error(argument + " needs a value");
        }
    }
}

void CommandLine::error(const std::string& problem) const {
    std::cerr << program_ << ": " << problem << "\nusage: " << program_ << " " << usage_ << "\n";
    std::exit(exit_cannot_run);
}

int CommandLine::number(const std::pair<std::string, std::string>& option) const {
    try {
        std::size_t used = 0;
        const int value = std::stoi(option.second, &used);
        if (used == option.second.size()) return value;
    } catch (const std::logic_error&) {
    }
    error(option.first + " needs a number");
}

void CommandLine::check_colour(const std::string& colour) const {
    if (colour != "auto" && colour != "always" && colour != "never") error("--colour takes auto, always or never");
}

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
