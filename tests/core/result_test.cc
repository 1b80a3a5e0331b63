// Errors, their kinds and their context prefixes.
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

TEST(ResultTest, AnErrorIsInternalUnlessABoundaryNamesItsKind) {
  EXPECT_EQ(Error{"bare"}.kind, ErrorKind::kInternal);
  EXPECT_EQ(MakeError("where", "what").kind, ErrorKind::kInternal);
  Error e = MakeError(ErrorKind::kNotFound, "model.tflite", "cannot open: No such file");
  EXPECT_EQ(e.kind, ErrorKind::kNotFound);
  EXPECT_EQ(e.message, "model.tflite: cannot open: No such file");
  EXPECT_EQ(MakeError(ErrorKind::kBadArgument, "", "bare").message, "bare");
  EXPECT_EQ(WithKind(ErrorKind::kBadFile, Error{"corrupt"}).kind, ErrorKind::kBadFile);
  EXPECT_EQ(WithKind(ErrorKind::kBadFile, Error{"corrupt"}).message, "corrupt");
}

TEST(ResultTest, WithContextKeepsTheKind) {
  Error device{"busy", ErrorKind::kDevice};
  EXPECT_EQ(WithContext("edgetpu", device).kind, ErrorKind::kDevice);
  EXPECT_EQ(WithContext("a", WithContext("b", device)).kind, ErrorKind::kDevice);
  // Also when the context is there already.
  Error once = WithContext("edgetpu", device);
  EXPECT_EQ(WithContext("edgetpu", once).kind, ErrorKind::kDevice);
  // And through a Result.
  Result<int> r = WithContext("x", Error{"unsupported op", ErrorKind::kUnsupported});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kUnsupported);
}

TEST(ResultTest, TheOutermostWhereIsKeptApart) {
  Error e = MakeError("DIV", "division by zero");
  EXPECT_EQ(e.where, "DIV");
  EXPECT_EQ(e.what(), "division by zero");
  Error outer = WithContext("model.tflite", e);
  EXPECT_EQ(outer.where, "model.tflite");
  EXPECT_EQ(outer.what(), "DIV: division by zero");
  EXPECT_EQ(Error{"no where"}.what(), "no where");
  EXPECT_EQ(MakeError("", "no where").where, "");
}

TEST(ResultTest, EachKindHasAName) {
  EXPECT_STREQ(ErrorKindName(ErrorKind::kInternal), "internal");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kBadArgument), "bad argument");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kBadFile), "bad file");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kNotFound), "not found");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kUnsupported), "unsupported");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kDevice), "device");
}

}  // namespace
}  // namespace coralpi
