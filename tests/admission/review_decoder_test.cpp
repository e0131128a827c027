#include "admission/review_decoder.hpp"

#include <gtest/gtest.h>

#include "support/fixtures.hpp"

namespace windowguard::admission {
namespace {

using testing::fixture;
using testing::replace_all;

TEST(ReviewDecoder, ReadsEveryFieldOfARealReview) {
  auto decoded = decode_review(fixture("apiserver-1.24/008-UPDATE-deployments-scale-web.json"));
  ASSERT_TRUE(decoded.ok()) << (decoded ? "" : decoded.error().message);
  const AdmissionRequest& request = decoded.value().request();
  EXPECT_EQ(request.uid, "b925f851-d102-432d-b85f-284a9b29b2b0");
  EXPECT_EQ(request.kind.group, "autoscaling");
  EXPECT_EQ(request.kind.version, "v1");
  EXPECT_EQ(request.kind.kind, "Scale");
  EXPECT_EQ(request.resource.group, "apps");
  EXPECT_EQ(request.resource.resource, "deployments");
  EXPECT_EQ(request.sub_resource, "scale");
  EXPECT_EQ(request.namespace_name, "team-a");
  EXPECT_EQ(request.name, "web");
  EXPECT_EQ(request.operation, Operation::Update);
  EXPECT_EQ(request.username, "dev");
  EXPECT_EQ(std::vector<std::string_view>(request.groups.begin(), request.groups.end()),
            (std::vector<std::string_view>{"developers", "system:authenticated"}));
  ASSERT_NE(request.object, nullptr);
  ASSERT_NE(request.old_object, nullptr);
  EXPECT_EQ((*request.object)["spec"]["replicas"].GetInt(), 1);
  EXPECT_FALSE(request.dry_run);
}

TEST(ReviewDecoder, DeleteHasANullObjectAndTheOldObject) {
  auto decoded = decode_review(fixture("apiserver-1.24/009-DELETE-deployments-api.json"));
  ASSERT_TRUE(decoded.ok());
  const AdmissionRequest& request = decoded.value().request();
  EXPECT_EQ(request.operation, Operation::Delete);
  EXPECT_EQ(request.object, nullptr);
  EXPECT_NE(request.old_object, nullptr);
}

TEST(ReviewDecoder, DryRunAndDeleteCollectionNames) {
  auto dry = decode_review(fixture("apiserver-1.24/005-CREATE-deployments-web.json"));
  ASSERT_TRUE(dry.ok());
  EXPECT_TRUE(dry.value().request().dry_run);
  auto collection = decode_review(fixture("generated/deployment-deletecollection.json"));
  ASSERT_TRUE(collection.ok());
  EXPECT_EQ(collection.value().request().name, "api");
}

TEST(ReviewDecoder, AbsentDryRunAndGroupsMeanFalseAndNone) {
  std::string body = fixture("generated/deployment-create.json");
  body = replace_all(body, "\"dryRun\": false,", "");
  body = replace_all(body, R"("groups": [
        "developers",
        "system:authenticated"
      ],)",
                     "");
  auto decoded = decode_review(body);
  ASSERT_TRUE(decoded.ok()) << (decoded ? "" : decoded.error().message);
  EXPECT_FALSE(decoded.value().request().dry_run);
  EXPECT_TRUE(decoded.value().request().groups.empty());
}

// A valid review, and one edit that breaks it.
const std::string kValid = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1",)"
                           R"("kind":{"group":"apps","version":"v1","kind":"Deployment"},)"
                           R"("resource":{"group":"apps","version":"v1","resource":"deployments"},)"
                           R"("namespace":"prod","name":"api","operation":"UPDATE",)"
                           R"("userInfo":{"username":"alice","groups":["dev"]},)"
                           R"("object":{"metadata":{"name":"api"}},"oldObject":{"metadata":{"name":"api"}},)"
                           R"("dryRun":false}})";

struct Malformed {
  const char* name;
  std::string body;
  std::string error;
};

void PrintTo(const Malformed& row, std::ostream* out) { *out << row.name; }

class MalformedReview : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedReview, IsRejectedWithAPreciseReason) {
  auto decoded = decode_review(GetParam().body);
  ASSERT_TRUE(!decoded.ok()) << GetParam().name;
  EXPECT_EQ(decoded.error().message, GetParam().error);
}

std::string edit(const std::string& from, const std::string& to) {
  const std::size_t at = kValid.find(from);
  if (at == std::string::npos) {
    throw std::invalid_argument("edit target not found: " + from);
  }
  std::string body = kValid;
  return body.replace(at, from.size(), to);
}

INSTANTIATE_TEST_SUITE_P(
    AtLeastTwenty, MalformedReview,
    ::testing::Values(
        Malformed{"empty body", "", "body is not valid JSON: The document is empty. (at byte 0)"},
        Malformed{"not JSON", "kind: AdmissionReview", "body is not valid JSON: Invalid value. (at byte 0)"},
        Malformed{"truncated", kValid.substr(0, 60),
                  "body is not valid JSON: Missing a comma or '}' after an object member. (at byte 60)"},
        Malformed{"trailing garbage", kValid + "{}",
                  "body is not valid JSON: The document root must not be followed by other values. (at byte " +
                      std::to_string(kValid.size()) + ")"},
        Malformed{"invalid UTF-8 in the user name",
                  edit("\"alice\"",
                       "\"al\xff"
                       "ce\""),
                  "request.userInfo.username is not valid UTF-8"},
        Malformed{"an overlong UTF-8 form in the uid", edit("\"uid\":\"u1\"", "\"uid\":\"\xc0\xaf\""),
                  "request.uid is not valid UTF-8"},
        Malformed{"nesting bomb", std::string(200, '[') + std::string(200, ']'), "body nests deeper than 128 levels"},
        Malformed{"an array", "[]", "body must be a JSON object (an AdmissionReview)"},
        Malformed{"no apiVersion", edit("\"apiVersion\":\"admission.k8s.io/v1\",", ""), "apiVersion is missing"},
        Malformed{"v1beta1", edit("admission.k8s.io/v1", "admission.k8s.io/v1beta1"),
                  "apiVersion must be \"admission.k8s.io/v1\", not \"admission.k8s.io/v1beta1\""},
        Malformed{"wrong kind", edit("\"AdmissionReview\"", "\"AdmissionResponse\""),
                  "kind must be \"AdmissionReview\", not \"AdmissionResponse\""},
        Malformed{"apiVersion not a string", edit("\"admission.k8s.io/v1\"", "1"), "apiVersion must be a string"},
        Malformed{"no request", R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})",
                  "request is missing"},
        Malformed{"request is a string",
                  R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":"x"})",
                  "request must be an object"},
        Malformed{"no uid", edit("\"uid\":\"u1\",", ""), "request.uid is missing"},
        Malformed{"empty uid", edit("\"uid\":\"u1\"", "\"uid\":\"\""), "request.uid must not be empty"},
        Malformed{"numeric uid", edit("\"uid\":\"u1\"", "\"uid\":7"), "request.uid must be a string"},
        Malformed{"no kind", edit("\"kind\":{\"group\":\"apps\",\"version\":\"v1\",\"kind\":\"Deployment\"},", ""),
                  "request.kind is missing"},
        Malformed{"kind without kind", edit(",\"kind\":\"Deployment\"", ""), "request.kind.kind is missing"},
        Malformed{"no resource",
                  edit("\"resource\":{\"group\":\"apps\",\"version\":\"v1\",\"resource\":\"deployments\"},", ""),
                  "request.resource is missing"},
        Malformed{"numeric resource name", edit("\"resource\":\"deployments\"", "\"resource\":5"),
                  "request.resource.resource must be a string"},
        Malformed{"no operation", edit("\"operation\":\"UPDATE\",", ""), "request.operation is missing"},
        Malformed{"unknown operation", edit("\"UPDATE\"", "\"PATCH\""),
                  "request.operation must be CREATE, UPDATE, DELETE or CONNECT"},
        Malformed{"no userInfo", edit("\"userInfo\":{\"username\":\"alice\",\"groups\":[\"dev\"]},", ""),
                  "request.userInfo is missing"},
        Malformed{"groups not a list", edit("[\"dev\"]", "\"dev\""),
                  "request.userInfo.groups must be a list of strings"},
        Malformed{"a numeric group", edit("[\"dev\"]", "[\"dev\",3]"),
                  "request.userInfo.groups must be a list of strings"},
        Malformed{"namespace not a string", edit("\"namespace\":\"prod\"", "\"namespace\":[]"),
                  "request.namespace must be a string"},
        Malformed{"dryRun as text", edit("\"dryRun\":false", "\"dryRun\":\"false\""),
                  "request.dryRun must be true or false"},
        Malformed{"object is a list", edit("\"object\":{\"metadata\":{\"name\":\"api\"}}", "\"object\":[]"),
                  "request.object must be an object"},
        Malformed{"UPDATE without oldObject", edit(",\"oldObject\":{\"metadata\":{\"name\":\"api\"}}", ""),
                  "request.oldObject is missing (an UPDATE carries the previous object)"},
        Malformed{"CREATE without object",
                  edit("\"UPDATE\"", "\"CREATE\"")
                      .replace(edit("\"UPDATE\"", "\"CREATE\"").find("\"object\":{\"metadata\":{\"name\":\"api\"}},"),
                               std::string("\"object\":{\"metadata\":{\"name\":\"api\"}},").size(), ""),
                  "request.object is missing (a CREATE carries the object)"},
        Malformed{
            "DELETE without oldObject",
            edit("\"UPDATE\"", "\"DELETE\"")
                .replace(edit("\"UPDATE\"", "\"DELETE\"").find(",\"oldObject\":{\"metadata\":{\"name\":\"api\"}}"),
                         std::string(",\"oldObject\":{\"metadata\":{\"name\":\"api\"}}").size(), ""),
            "request.oldObject is missing (a DELETE carries the deleted object)"}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
          c = '_';
        }
      }
      return name;
    });

}  // namespace
}  // namespace windowguard::admission
