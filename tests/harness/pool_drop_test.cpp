// tests/support/pool_drop.hpp: a pool whose destructor hangs fails the test that made it (or, for the
// checks of a running pool, only lets the test go on), and the test itself goes on in either case.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <semaphore>

#include "pool_drop.hpp"

using namespace std::chrono_literals;
using support::IfTheDestructorHangs;
using support::PoolDroppedWithinDeadline;

namespace {

// A destructor that returns only when the test lets it (each test has its own gates).
struct Gates {
    std::binary_semaphore may_return{0};
    std::binary_semaphore returned{0};
};

struct PoolWhoseDestructorWaits {
    explicit PoolWhoseDestructorWaits(std::shared_ptr<Gates> gates) : gates_(std::move(gates)) {}
    PoolWhoseDestructorWaits(const PoolWhoseDestructorWaits&) = delete;
    PoolWhoseDestructorWaits& operator=(const PoolWhoseDestructorWaits&) = delete;
    ~PoolWhoseDestructorWaits() {
        gates_->may_return.acquire();
        gates_->returned.release();
    }
    std::shared_ptr<Gates> gates_;
};

}  // namespace

TEST(Harness_PoolDrop, ADestructorThatHangsFailsTheTestAndTheTestGoesOn) {
    auto gates = std::make_shared<Gates>();
    PoolDroppedWithinDeadline<PoolWhoseDestructorWaits> pool(gates);
    bool returned = true;
    EXPECT_NONFATAL_FAILURE(returned = pool.drop(100ms),
                            "the pool's destructor did not return within 100 ms");
    EXPECT_FALSE(returned);
    gates->may_return.release();  // the detached destructor ends now
    EXPECT_TRUE(gates->returned.try_acquire_for(5s));
}

TEST(Harness_PoolDrop, AHangInTheChecksOfARunningPoolLetsTheTestGoOnUnfailed) {
    auto gates = std::make_shared<Gates>();
    {
        PoolDroppedWithinDeadline<PoolWhoseDestructorWaits, IfTheDestructorHangs::carry_on> pool(gates);
        EXPECT_FALSE(pool.drop(100ms));
    }
    gates->may_return.release();
    EXPECT_TRUE(gates->returned.try_acquire_for(5s));
}

TEST(Harness_PoolDrop, ADestructorThatReturnsHasReturnedWhenTheDropDoes) {
    auto gates = std::make_shared<Gates>();
    gates->may_return.release();
    {
        const PoolDroppedWithinDeadline<PoolWhoseDestructorWaits> pool(gates);
    }
    EXPECT_TRUE(gates->returned.try_acquire()) << "the drop returned before the pool's destructor had";
}
