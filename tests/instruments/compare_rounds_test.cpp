// `./workbook compare`'s round arithmetic on hand-made rates: the spread it prints, the per-round
// ratios to the first server, and the order the servers take their turns in.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <set>
#include <vector>

#include "compare_rounds.hpp"

using namespace compare;

namespace {

TEST(CompareRounds, OddCountMedianIsTheMiddleValue) {
    const Spread spread = spread_of({300, 100, 200});
    EXPECT_DOUBLE_EQ(spread.median, 200);
}

TEST(CompareRounds, EvenCountMedianIsTheMeanOfTheTwoMiddleValues) {
    const Spread spread = spread_of({400, 100, 300, 200});
    EXPECT_DOUBLE_EQ(spread.median, 250);
}

TEST(CompareRounds, RangeIsTheLowestAndHighestWhateverTheOrder) {
    const Spread spread = spread_of({250, 900, 100, 400, 300});
    EXPECT_DOUBLE_EQ(spread.low, 100);
    EXPECT_DOUBLE_EQ(spread.high, 900);
    EXPECT_DOUBLE_EQ(spread.median, 300);
}

TEST(CompareRounds, OneValueIsItsOwnMedianAndRange) {
    const Spread spread = spread_of({42});
    EXPECT_DOUBLE_EQ(spread.median, 42);
    EXPECT_DOUBLE_EQ(spread.low, 42);
    EXPECT_DOUBLE_EQ(spread.high, 42);
}

TEST(CompareRounds, RatioIsEachRoundsRateOverTheFirstServersInThatRound) {
    const std::vector<double> first_server{1000, 2000, 500};
    const std::vector<double> other_server{3000, 1000, 500};
    const auto ratios = ratios_per_round(other_server, first_server);
    ASSERT_EQ(ratios.size(), 3u);
    EXPECT_DOUBLE_EQ(ratios[0], 3.0);
    EXPECT_DOUBLE_EQ(ratios[1], 0.5);
    EXPECT_DOUBLE_EQ(ratios[2], 1.0);
}

TEST(CompareRounds, EveryServerIsFirstInSomeRound) {
    constexpr std::size_t servers = 4;
    std::set<std::size_t> firsts;
    for (int round = 0; round < static_cast<int>(servers); ++round) {
        firsts.insert(turn_order(round, servers).front());
    }
    EXPECT_EQ(firsts.size(), servers);
    EXPECT_EQ(turn_order(5, servers).front(), 1u);  // round r starts with server r mod n
}

TEST(CompareRounds, EachRoundIsARotationOfTheGivenOrder) {
    constexpr std::size_t servers = 3;
    const std::vector<std::size_t> given{0, 1, 2};
    for (int round = 0; round < 7; ++round) {
        const auto order = turn_order(round, servers);
        auto rotated = given;
        std::ranges::rotate(rotated, rotated.begin() + round % static_cast<int>(servers));
        EXPECT_EQ(order, rotated) << "round " << round;
    }
}

TEST(CompareRounds, ShownIsMedianThenRangeWithTheDecimalsAsked) {
    EXPECT_EQ(shown({.median = 1234.4, .low = 1200.2, .high = 1300.6}, 0), "1234 (1200–1301)");
    EXPECT_EQ(shown({.median = 0.996, .low = 0.5, .high = 1.25}, 2), "1.00 (0.50–1.25)");
    EXPECT_EQ(shown(spread_of({3, 1, 2}), 1), "2.0 (1.0–3.0)");
}

}  // namespace
