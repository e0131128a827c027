#include "json/json_members.hpp"

#include <gtest/gtest.h>

namespace windowguard::json {
namespace {

rapidjson::Document parse(const char* text) {
  rapidjson::Document document;
  document.Parse(text);
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

TEST(JsonMember, FindsTheFirstMemberOfThatExactName) {
  const rapidjson::Document object = parse(R"({"spec": 1, "specs": 2, "sp": 3, "spec": 4})");
  ASSERT_NE(member(&object, "spec"), nullptr);
  EXPECT_EQ(member(&object, "spec")->GetInt(), 1);
  EXPECT_EQ(member(&object, "specs")->GetInt(), 2);
  EXPECT_EQ(member(&object, "sp")->GetInt(), 3);
  EXPECT_EQ(member(&object, "s"), nullptr);
  EXPECT_EQ(member(&object, ""), nullptr);
}

TEST(JsonMember, NothingInANullOrANonObject) {
  EXPECT_EQ(member(nullptr, "spec"), nullptr);
  const rapidjson::Document array = parse(R"([{"spec": 1}])");
  EXPECT_EQ(member(&array, "spec"), nullptr);
}

// same must agree with rapidjson's operator== on documents without
// repeated member names.
TEST(SameJson, AgreesWithRapidjsonsEquality) {
  const char* const documents[] = {
      R"({"a": 1, "b": [1, 2, {"c": "x"}]})",
      R"({"b": [1, 2, {"c": "x"}], "a": 1})",  // the same, members reordered
      R"({"a": 1, "b": [2, 1, {"c": "x"}]})",  // array order matters
      R"({"a": 1, "b": [1, 2, {"c": "y"}]})",  // a difference deep down
      R"({"a": 1, "b": [1, 2, {"c": "x"}], "d": null})",
      R"({"a": 1.0, "b": [1, 2, {"c": "x"}]})",
      R"({"a": "1", "b": [1, 2, {"c": "x"}]})",
      R"({"a": 1, "x": [1, 2, {"c": "x"}]})",  // same count, another name
      R"([1, 2])",
      R"([1, 2, 3])",
      R"("text")",
      R"("text2")",
      R"(null)",
      R"(true)",
      R"({})",
  };
  for (const char* left : documents) {
    for (const char* right : documents) {
      const rapidjson::Document a = parse(left);
      const rapidjson::Document b = parse(right);
      EXPECT_EQ(same(a, b), a == b) << left << " vs " << right;
    }
  }
  EXPECT_TRUE(same(parse(documents[0]), parse(documents[1])));
  EXPECT_FALSE(same(parse(documents[0]), parse(documents[3])));
}

}  // namespace
}  // namespace windowguard::json
