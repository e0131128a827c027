#include "admission/response_encoder.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <utility>
#include <vector>

#include "admission/audit_annotations.hpp"
#include "core/qualified_name.hpp"

namespace windowguard::admission {
namespace {

rapidjson::Document parse(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str());
  EXPECT_FALSE(document.HasParseError()) << text;
  return document;
}

TEST(ResponseEncoder, DenialCarriesUidStatus403AndTheMessage) {
  AdmissionDecision decision;
  decision.allowed = false;
  decision.message = "deploy of Deployment a/b is blocked by \"x\".";
  decision.audit_annotations = {{AuditKey::Action, "deploy"}, {AuditKey::Decision, "denied"}, {AuditKey::Window, "x"}};
  const rapidjson::Document response = parse(encode_response("uid-7", decision));
  EXPECT_STREQ(response["apiVersion"].GetString(), "admission.k8s.io/v1");
  EXPECT_STREQ(response["kind"].GetString(), "AdmissionReview");
  const auto& body = response["response"];
  EXPECT_STREQ(body["uid"].GetString(), "uid-7");
  EXPECT_FALSE(body["allowed"].GetBool());
  EXPECT_EQ(body["status"]["code"].GetInt(), 403);
  EXPECT_STREQ(body["status"]["reason"].GetString(), "Forbidden");
  EXPECT_STREQ(body["status"]["message"].GetString(), "deploy of Deployment a/b is blocked by \"x\".");
  EXPECT_STREQ(body["auditAnnotations"]["window"].GetString(), "x");
  EXPECT_FALSE(body.HasMember("warnings"));
  EXPECT_FALSE(body.HasMember("patch"));
}

TEST(ResponseEncoder, AllowedHasNoStatusAndKeepsWarnings) {
  AdmissionDecision decision;
  decision.warnings = {"windowguard: deploy allowed only because you are exempt"};
  const rapidjson::Document response = parse(encode_response("u", decision));
  EXPECT_TRUE(response["response"]["allowed"].GetBool());
  EXPECT_FALSE(response["response"].HasMember("status"));
  ASSERT_EQ(response["response"]["warnings"].Size(), 1U);
  EXPECT_FALSE(response["response"].HasMember("auditAnnotations"));
}

TEST(ResponseEncoder, EscapesWhatItEchoes) {
  AdmissionDecision decision;
  decision.allowed = false;
  decision.message = "quote \" backslash \\ tab \t";
  const rapidjson::Document response = parse(encode_response("a\"b", decision));
  EXPECT_STREQ(response["response"]["uid"].GetString(), "a\"b");
  EXPECT_STREQ(response["response"]["status"]["message"].GetString(), "quote \" backslash \\ tab \t");
}

TEST(ResponseEncoder, EveryByteOfAnEchoedStringSurvivesTheRoundTrip) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) {
    every_byte += static_cast<char>(byte);
  }
  AdmissionDecision decision;
  decision.allowed = false;
  decision.message = every_byte + every_byte;
  decision.audit_annotations = {{AuditKey::Window, every_byte}};
  const rapidjson::Document response = parse(encode_response(every_byte, decision));
  const auto text_of = [](const rapidjson::Value& value) {
    return std::string(value.GetString(), value.GetStringLength());
  };
  EXPECT_EQ(text_of(response["response"]["uid"]), every_byte);
  EXPECT_EQ(text_of(response["response"]["status"]["message"]), every_byte + every_byte);
  EXPECT_EQ(text_of(response["response"]["auditAnnotations"]["window"]), every_byte);
}

// Plain text is skipped a word at a time: a byte to escape is found at every
// offset of a word, and after a run of plain words, and the text is written
// as rapidjson's Writer writes it.
TEST(ResponseEncoder, EscapesEveryByteAtEveryOffsetOfLongTextAsRapidjsonDoes) {
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t offset = 0; offset < 24; ++offset) {
      std::string text(26, 'a');
      text[offset] = static_cast<char>(byte);
      AdmissionDecision decision;
      decision.audit_annotations = {{AuditKey::Window, text}};
      rapidjson::StringBuffer expected;
      rapidjson::Writer<rapidjson::StringBuffer> writer(expected);
      writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
      EXPECT_NE(encode_response("u", decision).find(std::string("\"window\":") + expected.GetString()),
                std::string::npos)
          << "byte " << byte << " at " << offset;
    }
  }
}

TEST(ResponseEncoder, WritesCompactJsonWithControlCharactersEscaped) {
  AdmissionDecision decision;
  decision.warnings = {"w1", "w2"};
  decision.audit_annotations = {{AuditKey::Action, "deploy"}, {AuditKey::Decision, "allowed"}};
  // DEL (0x7f) is not a control character to JSON: it is written as it is.
  EXPECT_EQ(encode_response("id\"\n\x01\x7f", decision),
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":{"
            "\"uid\":\"id\\\"\\n\\u0001\x7f\",\"allowed\":true,\"warnings\":[\"w1\",\"w2\"],"
            "\"auditAnnotations\":{\"action\":\"deploy\",\"decision\":\"allowed\"}}}");
}

TEST(WarningLimits, DropsControlCharactersInvalidUtf8AndDuplicates) {
  EXPECT_EQ(within_warning_limits({"a", "line\nbreak", "bad \xff", "a", "caf\xc3\xa9", "cut \xc3"}),
            (std::vector<std::string>{"a", "caf\xc3\xa9"}));
}

TEST(WarningLimits, CutsEachTo256BytesAndStopsAt4096InTotal) {
  const std::vector<std::string> kept = within_warning_limits(std::vector<std::string>(40, std::string(300, 'x')));
  ASSERT_EQ(kept.size(), 1U);  // the others are duplicates
  EXPECT_EQ(kept[0].size(), 256U);
  std::vector<std::string> distinct;
  for (int i = 0; i < 40; ++i) {
    distinct.push_back(std::to_string(i) + std::string(250, 'y'));
  }
  std::size_t total = 0;
  for (const std::string& warning : within_warning_limits(distinct)) {
    total += warning.size();
  }
  EXPECT_LE(total, 4096U);
  EXPECT_GT(total, 3800U);
}

TEST(WarningLimits, NeverSplitsAUtf8Sequence) {
  const std::string text = std::string(255, 'a') + "\xe2\x82\xac";  // the euro sign straddles byte 256
  const std::vector<std::string> kept = within_warning_limits({text});
  ASSERT_EQ(kept.size(), 1U);
  EXPECT_EQ(kept[0], std::string(255, 'a'));
}

// The API server stores each as "<webhook>/<key>", and rejects a key that is
// not a qualified name.
TEST(AuditKeys, EveryKeyFollowsTheApiServersRule) {
  for (std::size_t slot = 0; slot < kAuditKeyCount; ++slot) {
    const std::string_view name = audit_key_name(static_cast<AuditKey>(slot));
    EXPECT_TRUE(core::is_qualified_name(name)) << name;
  }
}

TEST(AuditKeys, EveryKeyCanBeSetAtOnceAndIsListedInOrder) {
  AuditAnnotations annotations;
  for (std::size_t slot = kAuditKeyCount; slot-- > 0;) {
    annotations.set(static_cast<AuditKey>(slot), std::to_string(slot));
  }
  annotations.set(AuditKey::Decision, "denied");
  std::vector<std::pair<std::string_view, std::string>> listed;
  annotations.for_each([&](std::string_view key, const std::string& value) { listed.emplace_back(key, value); });
  ASSERT_EQ(listed.size(), kAuditKeyCount);
  EXPECT_EQ(listed[0], (std::pair<std::string_view, std::string>{"action", "0"}));
  EXPECT_EQ(listed[1], (std::pair<std::string_view, std::string>{"decision", "denied"}));
  EXPECT_EQ(listed.back(),
            (std::pair<std::string_view, std::string>{"image-approvals", std::to_string(kAuditKeyCount - 1)}));
}

}  // namespace
}  // namespace windowguard::admission
