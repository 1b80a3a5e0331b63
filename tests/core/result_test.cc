// Errors and their context prefixes.
#include "core/result.h"

#include <gtest/gtest.h>

namespace coralpi {
namespace {

TEST(ResultTest, WithContextPrefixesTheWhere) {
  EXPECT_EQ(WithContext("model.tflite", Error{"operator 3 failed"}).message,
            "model.tflite: operator 3 failed");
  EXPECT_EQ(WithContext("", Error{"bare"}).message, "bare");
}

TEST(ResultTest, WithContextDoesNotRepeatAPrefixTheMessageHasAlready) {
  Error once = WithContext("model.tflite", Error{"operator 3 failed"});
  EXPECT_EQ(WithContext("model.tflite", once).message, "model.tflite: operator 3 failed");
  // Another context, or one the message merely starts with, is still added.
  EXPECT_EQ(WithContext("bus.jpg", once).message, "bus.jpg: model.tflite: operator 3 failed");
  EXPECT_EQ(WithContext("model", once).message, "model: model.tflite: operator 3 failed");
}

}  // namespace
}  // namespace coralpi
