#include "compare_rounds.hpp"

#include <algorithm>
#include <cstdio>

namespace compare {

Spread spread_of(std::vector<double> values) {
    std::ranges::sort(values);
    const std::size_t half = values.size() / 2;
    const double median = values.size() % 2 != 0 ? values[half] : (values[half - 1] + values[half]) / 2;
    return {median, values.front(), values.back()};
}


std::string shown(const Spread& spread, int decimals) {
    return fixed(spread.median, decimals) + " (" + fixed(spread.low, decimals) + "–" +
           fixed(spread.high, decimals) + ")";
}

std::vector<std::size_t> turn_order(int round, std::size_t servers) {
    std::vector<std::size_t> order;
    for (std::size_t turn = 0; turn < servers; ++turn) {
        order.push_back((turn + static_cast<std::size_t>(round)) % servers);
    }
    return order;
}

std::vector<double> ratios_per_round(const std::vector<double>& rates, const std::vector<double>& reference) {
    std::vector<double> ratios;
    for (std::size_t round = 0; round < std::min(rates.size(), reference.size()); ++round) {
        ratios.push_back(rates[round] / reference[round]);
    }
    return ratios;
}

}  // namespace compare
