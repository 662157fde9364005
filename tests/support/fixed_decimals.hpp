// A figure as text with a fixed number of decimals, for every instrument and test that prints one
// (header-only and free of gtest, so that the compare program can use it too).
#pragma once

#include <cstdio>
#include <string>

namespace support {

// `value` with `decimals` decimals: fixed(0.996, 2) == "1.00".
[[nodiscard]] inline std::string fixed(double value, int decimals) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

}  // namespace support
