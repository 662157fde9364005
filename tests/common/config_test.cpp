// common/workbook: the two settings every stage reads, with the book's values as defaults.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "rs/panic.hpp"
#include "workbook/config.hpp"

using namespace std::chrono_literals;

namespace {
// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value != nullptr) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};
}  // namespace

TEST(Common_Config, DefaultsAreTheBooksValues) {
    const ScopedEnv addr("WORKBOOK_ADDR", nullptr);
    const ScopedEnv sleep("WORKBOOK_SLEEP_MS", nullptr);
    EXPECT_EQ(workbook::listen_addr("127.0.0.1:7878"), "127.0.0.1:7878");
    EXPECT_EQ(workbook::slow_request_delay(5s), 5000ms);
}

TEST(Common_Config, EnvironmentOverridesBoth) {
    const ScopedEnv addr("WORKBOOK_ADDR", "127.0.0.1:0");
    const ScopedEnv sleep("WORKBOOK_SLEEP_MS", "250");
    EXPECT_EQ(workbook::listen_addr("127.0.0.1:7878"), "127.0.0.1:0");
    EXPECT_EQ(workbook::slow_request_delay(5s), 250ms);
}

TEST(Common_Config, AMalformedDelayPanicsWithTheVariablesName) {
    const ScopedEnv sleep("WORKBOOK_SLEEP_MS", "5s");
    try {
        (void)workbook::slow_request_delay(5s);
        FAIL() << "a malformed delay must not be silently ignored";
    } catch (const rs::Panic& panic) {
        EXPECT_NE(panic.message().find("WORKBOOK_SLEEP_MS"), std::string::npos);
    }
}
