#include "paths.hpp"

#include "rs/fs.hpp"

#include <cstdlib>

namespace support {

namespace {
// Meson passes both roots at compile time; the environment may override them (e.g. a moved build).
std::filesystem::path from_env_or(const char* variable, const char* fallback) {
    const char* value = std::getenv(variable);
    return value != nullptr && *value != '\0' ? std::filesystem::path(value) : std::filesystem::path(fallback);
}
}  // namespace

std::filesystem::path source_root() { return from_env_or("WORKBOOK_SOURCE_ROOT", WORKBOOK_SOURCE_ROOT); }
std::filesystem::path build_root() { return from_env_or("WORKBOOK_BUILD_ROOT", WORKBOOK_BUILD_ROOT); }

std::filesystem::path stage_source_dir(std::string_view stage) { return source_root() / "steps" / stage; }

std::string stage_file(std::string_view stage, std::string_view name) {
    return rs::fs::read_to_string((stage_source_dir(stage) / name).string()).unwrap();
}

// steps/meson.build makes every listing's executable in build/steps/, named after its folder.
std::filesystem::path listing_binary(std::string_view /*stage*/, std::string_view target) {
    return build_root() / "steps" / target;
}

}  // namespace support
