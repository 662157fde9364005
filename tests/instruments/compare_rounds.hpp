// The arithmetic of `./workbook compare`'s rounds, apart from the measuring so that it can be tested:
// the order the servers take their turns in, the spread of a server's rates, the per-round ratios.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fixed_decimals.hpp"

namespace compare {

// The middle value (the mean of the two middle ones for an even count), and the extremes.
struct Spread {
    double median, low, high;
};

// The spread of one or more values, in any order.
[[nodiscard]] Spread spread_of(std::vector<double> values);

// "median (low–high)", each with `decimals` decimals: "1234 (1200–1300)".
[[nodiscard]] std::string shown(const Spread& spread, int decimals);

using support::fixed;

// Round `round`'s order among `servers` servers (indexes): it starts with server round mod servers and
// goes on in the given order, so that no server is always measured first, or right after the same one.
[[nodiscard]] std::vector<std::size_t> turn_order(int round, std::size_t servers);

// Each round's rate over the reference server's rate in the same round (round by round, so that
// background load during a round falls on both): rates[r] / reference[r], for the rounds both have.
[[nodiscard]] std::vector<double> ratios_per_round(const std::vector<double>& rates,
                                                   const std::vector<double>& reference);

}  // namespace compare
