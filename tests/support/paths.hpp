// Where a stage's sources and built listings are, for tests and the demo.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace support {

// steps/<stage> in the source tree: the server's working directory (hello.html, 404.html).
std::filesystem::path stage_source_dir(std::string_view stage);
// The text of one of those files, e.g. stage_file("01-single-threaded", "hello.html").
std::string stage_file(std::string_view stage, std::string_view name);
// The built server of one listing, e.g. listing_binary("01-single-threaded", "listing-21-10").
std::filesystem::path listing_binary(std::string_view stage, std::string_view target);
std::filesystem::path source_root();
std::filesystem::path build_root();

}  // namespace support
