// The latest-frame slots: replacing counts skips, every-frame mode waits, cameras take turns,
// limits and closing wake everyone.
#include "video/latest_frame_slots.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace coralpi {
namespace {

using Slots = LatestFrameSlots<int>;

TEST(LatestFrameSlotsTest, KeepsOnlyTheNewestAndCountsTheReplaced) {
  Slots slots(1, /*every_frame=*/false);
  EXPECT_EQ(slots.Put(0, 1), Slots::PutResult::kStored);
  EXPECT_EQ(slots.Put(0, 2), Slots::PutResult::kReplaced);
  EXPECT_EQ(slots.Put(0, 3), Slots::PutResult::kReplaced);
  EXPECT_EQ(slots.skipped(0), 2);
  auto t = slots.Take();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->frame, 3);
  EXPECT_EQ(t->sequence, 0);
  EXPECT_EQ(slots.Put(0, 4), Slots::PutResult::kStored);
  t = slots.Take();
  ASSERT_TRUE(t);
  EXPECT_EQ(t->frame, 4);
  EXPECT_EQ(t->sequence, 1);
  EXPECT_EQ(slots.skipped(0), 2);
}

TEST(LatestFrameSlotsTest, TakeEndsWhenEveryCameraEndedAndWasDrained) {
  Slots slots(2, false);
  (void)slots.Put(1, 7);
  slots.EndCamera(0);
  slots.EndCamera(1);
  auto t = slots.Take();  // the frame sent before the end is still delivered
  ASSERT_TRUE(t);
  EXPECT_EQ(t->camera, 1u);
  EXPECT_EQ(t->frame, 7);
  EXPECT_FALSE(slots.Take());
  EXPECT_EQ(slots.Put(0, 1), Slots::PutResult::kRejected);
}

TEST(LatestFrameSlotsTest, CamerasTakeTurns) {
  // Camera 0 refilled after every take still lets the others through.
  Slots busy(2, false);
  (void)busy.Put(1, 100);
  (void)busy.Put(0, 0);
  std::vector<size_t> got;
  for (int i = 0; i < 2; ++i) {
    got.push_back(busy.Take()->camera);
    (void)busy.Put(0, i + 1);
  }
  EXPECT_NE(std::find(got.begin(), got.end(), 1u), got.end());
}

TEST(LatestFrameSlotsTest, EveryFrameModeWaitsForTheSlotToEmpty) {
  Slots slots(1, /*every_frame=*/true);
  ASSERT_EQ(slots.Put(0, 1), Slots::PutResult::kStored);
  std::atomic<bool> second_stored{false};
  std::thread producer([&] {
    EXPECT_EQ(slots.Put(0, 2), Slots::PutResult::kStored);
    second_stored = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(second_stored);  // still waiting: frame 1 was not taken
  EXPECT_EQ(slots.Take()->frame, 1);
  producer.join();
  EXPECT_TRUE(second_stored);
  EXPECT_EQ(slots.Take()->frame, 2);
  EXPECT_EQ(slots.skipped(0), 0);
}

TEST(LatestFrameSlotsTest, MaxPerCameraEndsTheCamera) {
  Slots slots(1, false, /*max_per_camera=*/2);
  (void)slots.Put(0, 1);
  EXPECT_TRUE(slots.Take());
  EXPECT_FALSE(slots.CameraDone(0));
  (void)slots.Put(0, 2);
  EXPECT_TRUE(slots.Take());
  EXPECT_TRUE(slots.CameraDone(0));
  EXPECT_EQ(slots.Put(0, 3), Slots::PutResult::kRejected);
  EXPECT_FALSE(slots.Take());
}

TEST(LatestFrameSlotsTest, CloseWakesAWaitingTake) {
  Slots slots(2, false);
  std::thread consumer([&] { EXPECT_FALSE(slots.Take()); });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  slots.Close();
  consumer.join();
}

TEST(LatestFrameSlotsTest, CloseWakesAWaitingPutAndCountsTheDroppedFrame) {
  Slots slots(1, /*every_frame=*/true);
  ASSERT_EQ(slots.Put(0, 1), Slots::PutResult::kStored);
  std::thread producer([&] { EXPECT_EQ(slots.Put(0, 2), Slots::PutResult::kRejected); });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  slots.Close();
  producer.join();
  EXPECT_EQ(slots.dropped(0), 1);  // frame 1, never taken
  EXPECT_EQ(slots.taken(0), 0);
  EXPECT_FALSE(slots.Take());
}

}  // namespace
}  // namespace coralpi
