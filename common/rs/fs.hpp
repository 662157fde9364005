// Rust's std::fs::read_to_string.
#pragma once

#include <string>

#include "rs/io.hpp"

namespace rs::fs {

// The whole file as a string; Err if it cannot be read or is not UTF-8 (Rust's String must be).
io::Result<std::string> read_to_string(const std::string& path);

}  // namespace rs::fs
