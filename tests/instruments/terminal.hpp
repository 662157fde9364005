// What the demo and the flood share: their exit statuses, and for writing to a terminal, colour or not,
// its width, bold text, wrapped paragraphs, and a server's own output.
#pragma once

#include <cstddef>
#include <iostream>
#include <ostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server_process.hpp"

namespace support {

// The exit status of the demo and the flood: the stage behaved as the book says, or not, or the
// program could not run (usage, nothing built).
inline constexpr int exit_as_the_book_says = 0;
inline constexpr int exit_not_as_the_book_says = 1;
inline constexpr int exit_cannot_run = 2;

// The command line of the demo, the flood and compare: words, and `--name value` options in order
// (`flags` name the options that take no value). Any problem prints it with the usage line and exits
// with exit_cannot_run.
class CommandLine {
public:
    CommandLine(int argc, char** argv, std::string program, std::string usage, const std::set<std::string>& flags = {});

    [[nodiscard]] const std::vector<std::string>& words() const { return words_; }
    [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& options() const { return options_; }

    [[noreturn]] void error(const std::string& problem) const;
    // An option's value as a whole number, or error().
    [[nodiscard]] int number(const std::pair<std::string, std::string>& option) const;
    // error() unless `colour` is auto, always or never.
    void check_colour(const std::string& colour) const;

private:
    std::string program_;
    std::string usage_;
    std::vector<std::string> words_;
    std::vector<std::pair<std::string, std::string>> options_;
};

// "auto": when stdout is a terminal, NO_COLOR is unset and TERM is not dumb; "always" or "never".
[[nodiscard]] bool use_colour(const std::string& choice);

// `requested` if positive, else the terminal's width (at most 100), else 80.
[[nodiscard]] int terminal_width(int requested);

[[nodiscard]] std::string bold(const std::string& text, bool colour);

// `text` broken between words into lines of at most `width` columns, the later ones indented.
[[nodiscard]] std::string wrapped(const std::string& text, int width, std::size_t indent = 0);

// "The server said:" and the server's stdout (but its Listening line) and stderr, indented; nothing if
// it said nothing. At most `max_lines` lines, then how many were left out.
void print_server_log(const ServerProcess& server, std::ostream& out = std::cout, std::size_t max_lines = 200);

}  // namespace support
