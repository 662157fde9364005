// common/rs: mpsc channel, Mutex and its guard (poisoning), thread::spawn and JoinHandle.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <memory>
#include <semaphore>
#include <string>
#include <utility>

#include "rs/mpsc.hpp"
#include "rs/sync.hpp"
#include "rs/thread.hpp"
#include "rust_messages.hpp"

using namespace std::chrono_literals;
namespace mpsc = rs::sync::mpsc;
using rs::sync::Mutex;

TEST(Common_Mpsc, ValuesArriveInOrder) {
    auto [sender, receiver] = mpsc::channel<int>();
    for (int i = 0; i < 5; ++i) sender.send(i).unwrap();
    for (int i = 0; i < 5; ++i) EXPECT_EQ(receiver.recv().unwrap(), i);
}

TEST(Common_Mpsc, RecvBlocksUntilAValueIsSent) {
    auto [sender, receiver] = mpsc::channel<std::string>();
    std::latch receiving(1);
    auto handle = rs::thread::spawn([&receiving, receiver = std::move(receiver)]() mutable {
        receiving.count_down();
        return receiver.recv().unwrap();
    });
    receiving.wait();
    EXPECT_FALSE(handle.is_finished());
    sender.send("job").unwrap();
    EXPECT_EQ(std::move(handle).join().unwrap(), "job");
}

TEST(Common_Mpsc, RecvFailsOnceEverySenderIsGoneAndTheQueueIsEmpty) {
    auto [sender, receiver] = mpsc::channel<int>();
    {
        const mpsc::Sender<int> clone = sender;  // Rust's sender.clone()
        clone.send(1).unwrap();
        { auto gone = std::move(sender); }
        EXPECT_EQ(receiver.recv().unwrap(), 1);
        EXPECT_EQ(receiver.recv_timeout(20ms).unwrap_err(), mpsc::RecvTimeoutError::Timeout)
            << "one sender is still alive: recv must wait, not fail";
    }
    EXPECT_TRUE(receiver.recv().is_err());
}

TEST(Common_Mpsc, QueuedValuesAreStillReceivedAfterTheLastSenderGoes) {
    auto [sender, receiver] = mpsc::channel<int>();
    sender.send(1).unwrap();
    sender.send(2).unwrap();
    { auto gone = std::move(sender); }
    EXPECT_EQ(receiver.recv().unwrap(), 1);
    EXPECT_EQ(receiver.recv().unwrap(), 2);
    EXPECT_TRUE(receiver.recv().is_err());
}

TEST(Common_Mpsc, SendFailsOnceTheReceiverIsGoneAndHandsTheValueBack) {
    auto [sender, receiver] = mpsc::channel<std::unique_ptr<int>>();
    { auto gone = std::move(receiver); }
    auto sent = sender.send(std::make_unique<int>(42));
    ASSERT_TRUE(sent.is_err());
    EXPECT_EQ(*sent.error().value, 42);
    EXPECT_EQ(sent.error().debug(), rust_text::send_error);
}

TEST(Common_Mpsc, DroppingTheReceiverDropsWhatIsQueued) {
    auto [sender, receiver] = mpsc::channel<std::shared_ptr<int>>();
    auto tracked = std::make_shared<int>(1);
    sender.send(tracked).unwrap();
    EXPECT_EQ(tracked.use_count(), 2);
    { auto gone = std::move(receiver); }
    EXPECT_EQ(tracked.use_count(), 1);
}

TEST(Common_Mpsc, SendFailsOnceTheLastSharedOwnerOfTheReceiverIsGone) {
    // Listings 21-18 and 21-19: the receiver lives in Arc<Mutex<..>> (shared_ptr<Mutex<..>>); it is
    // dropped, and send() fails, only when the last owner lets go.
    auto [sender, receiver] = mpsc::channel<int>();
    auto shared = std::make_shared<Mutex<mpsc::Receiver<int>>>(std::move(receiver));
    auto worker_share = shared;
    shared.reset();
    EXPECT_TRUE(sender.send(1).is_ok()) << "one owner is left";
    worker_share.reset();
    try {
        sender.send(2).unwrap();
        FAIL() << "send() must fail once the receiver is gone";
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(), rust_text::unwrap_send_error);
    }
}

TEST(Common_Mpsc, UnwrapOfAFailedRecvPanicsLikeRust) {
    auto [sender, receiver] = mpsc::channel<int>();
    { auto gone = std::move(sender); }
    try {
        (void)receiver.recv().unwrap();
        FAIL();
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(), rust_text::unwrap_recv_error);
    }
}

TEST(Common_Mpsc, AMovedFromReceiverPanicsInsteadOfUndefinedBehaviour) {
    auto [sender, receiver] = mpsc::channel<int>();
    auto moved = std::move(receiver);
    EXPECT_FALSE(receiver.is_connected_handle());  // NOLINT(bugprone-use-after-move): the point of the test
    EXPECT_THROW((void)receiver.recv(), rs::Panic);  // NOLINT(bugprone-use-after-move)
}

TEST(Common_Mutex, GuardGivesAccessAndReleasesOnDestruction) {
    Mutex<int> counter(0);
    { *counter.lock().unwrap() += 1; }
    auto guard = counter.lock().unwrap();
    EXPECT_EQ(*guard, 1);
}

TEST(Common_Mutex, GuardHeldOnOneThreadBlocksAnother) {
    auto counter = std::make_shared<Mutex<int>>(0);
    auto guard = counter->lock().unwrap();
    std::atomic<bool> acquired = false;
    auto other = rs::thread::spawn([counter, &acquired] {
        auto second = counter->lock().unwrap();
        acquired = true;
    });
    std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(acquired.load()) << "the lock is held: the other thread must still wait";
    { auto released = std::move(guard); }
    std::move(other).join().unwrap();
    EXPECT_TRUE(acquired.load());
}

TEST(Common_Arc, CloneIsOneMoreOwnerOfTheSameValue) {
    auto receiver = std::make_shared<Mutex<int>>(7);
    auto clone = rs::sync::Arc::clone(receiver);
    EXPECT_EQ(clone.get(), receiver.get()) << "the same value, not a copy of it";
    EXPECT_EQ(receiver.use_count(), 2);
    *receiver->lock().unwrap() = 8;
    EXPECT_EQ(*clone->lock().unwrap(), 8);
}

TEST(Common_Mutex, APanicWhileHoldingTheLockPoisonsIt) {
    auto shared = std::make_shared<Mutex<int>>(0);
    auto panicking = rs::thread::spawn([shared] {
        auto guard = shared->lock().unwrap();
        rs::panic("panicked while holding the lock");
    });
    EXPECT_TRUE(std::move(panicking).join().is_err());
    EXPECT_TRUE(shared->is_poisoned());
    {
        auto locked = shared->lock();  // an Err that still holds the lock, as Rust's PoisonError does
        ASSERT_TRUE(locked.is_err());
        EXPECT_EQ(locked.error().debug(), rust_text::poison_error);
    }
    try {
        (void)shared->lock().unwrap();
        FAIL();
    } catch (const rs::Panic& panic) {
        EXPECT_EQ(panic.message(), rust_text::unwrap_poison_error);
    }
}

TEST(Common_Mutex, APanicAfterTheGuardIsGoneDoesNotPoison) {
    auto shared = std::make_shared<Mutex<int>>(0);
    auto panicking = rs::thread::spawn([shared] {
        { *shared->lock().unwrap() = 1; }
        rs::panic("panicked without the lock");
    });
    EXPECT_TRUE(std::move(panicking).join().is_err());
    EXPECT_FALSE(shared->is_poisoned());
}

TEST(Common_Thread, JoinReturnsTheValue) {
    auto handle = rs::thread::spawn([] { return 6 * 7; });
    EXPECT_EQ(std::move(handle).join().unwrap(), 42);
}

TEST(Common_Thread, APanicEndsOnlyItsThreadAndJoinReportsIt) {
    testing::internal::CaptureStderr();
    auto handle = rs::thread::spawn([] { rs::panic("worker failed"); });
    auto joined = std::move(handle).join();
    const std::string printed = testing::internal::GetCapturedStderr();
    EXPECT_TRUE(joined.is_err());
    EXPECT_EQ(joined.error().message, "worker failed");
    EXPECT_NE(printed.find(rust_text::worker_panicked), std::string::npos) << printed;
}

TEST(Common_Thread, DroppingAJoinHandleDetachesTheThread) {
    // With a joinable std::thread this would call std::terminate; Rust's JoinHandle detaches. The thread
    // waits for a signal sent only after its handle is dropped: a drop that joined would wait for the
    // thread, and the thread would give up waiting (after 5 s) instead of being released.
    struct Rendezvous {
        std::binary_semaphore release{0};
        std::promise<bool> released;
    };
    auto shared = std::make_shared<Rendezvous>();
    auto outcome = shared->released.get_future();
    {
        auto handle =
            rs::thread::spawn([shared] { shared->released.set_value(shared->release.try_acquire_for(5s)); });
    }
    shared->release.release();
    ASSERT_EQ(outcome.wait_for(30s), std::future_status::ready);
    EXPECT_TRUE(outcome.get()) << "dropping the JoinHandle joined the thread instead of detaching it";
}
