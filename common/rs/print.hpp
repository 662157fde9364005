// Rust's println!: the whole line at once (never interleaved with another thread's), flushed at the
// newline even when stdout is a pipe, as Rust's line-buffered stdout does.
#pragma once

#include <string_view>

namespace rs {

void println(std::string_view line);

}  // namespace rs
