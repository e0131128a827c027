#pragma once
// AdmissionReviews of writes to windowguard's own objects, as the API server
// sends them.
#include <string>

namespace windowguard::testing {

struct ObjectWrite {
  std::string kind;      // "WindowException"
  std::string resource;  // "windowexceptions"
  std::string name;
  std::string namespace_name;
};

inline std::string object_write_review(const ObjectWrite& target, const char* operation, const char* sub_resource,
                                       const std::string& user, const std::string& groups,
                                       const std::string& new_object, const std::string& old_object) {
  std::string body = R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",)"
                     R"("kind":{"group":"windowguard.dev","version":"v1","kind":")" +
                     target.kind + R"("},"resource":{"group":"windowguard.dev","version":"v1","resource":")" +
                     target.resource + R"("},)";
  if (*sub_resource != '\0') {
    body += R"("subResource":")" + std::string(sub_resource) + R"(",)";
  }
  body += R"("name":")" + target.name + R"(","namespace":")" + target.namespace_name + R"(","operation":")" +
          std::string(operation) + R"(","userInfo":{"username":")" + user + R"(","groups":[)" + groups + "]}";
  body += R"(,"object":)" + (new_object.empty() ? std::string("null") : new_object);
  body += R"(,"oldObject":)" + (old_object.empty() ? std::string("null") : old_object);
  return body + "}}";
}

}  // namespace windowguard::testing
