#pragma once
// AdmissionReview v1 JSON -> the fields windowguard decides on.  The document
// is parsed once; the request's objects are referenced, never copied.
#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <boost/container/small_vector.hpp>

#include "core/result.hpp"

namespace windowguard::admission {

struct GroupVersionKind {
  std::string_view group;
  std::string_view version;
  std::string_view kind;
};

struct GroupVersionResource {
  std::string_view group;
  std::string_view version;
  std::string_view resource;
};

enum class Operation { Create, Update, Delete, Connect };

// A requester's groups, with inline room for a typical requester's: no
// allocation per request.
using RequesterGroups = boost::container::small_vector<std::string_view, 8>;

struct AdmissionRequest {
  std::string_view uid;
  GroupVersionKind kind;
  GroupVersionResource resource;
  std::string_view sub_resource;  // empty for the main resource
  std::string_view namespace_name;
  // Falls back to the object's metadata.name: a CREATE with generateName, a
  // deletecollection.
  std::string_view name;
  Operation operation = Operation::Create;
  std::string_view username;
  RequesterGroups groups;
  const rapidjson::Value* object = nullptr;      // null when absent or JSON null
  const rapidjson::Value* old_object = nullptr;  // null when absent or JSON null
  bool dry_run = false;
};

// A decoded review: the parsed document and views into it.  Movable, not
// copyable; the views stay valid for its lifetime.
class DecodedReview {
 public:
  const AdmissionRequest& request() const { return request_; }

 private:
  friend Result<DecodedReview> decode_review(std::string body);
  // One allocation for both; their addresses stay put when the review moves.
  struct Parsed {
    std::string body;  // parsed in situ: strings point into it
    rapidjson::Document document;
  };
  std::unique_ptr<Parsed> parsed_;
  AdmissionRequest request_;
};

// decode_review's first step: parses `text` in place (its strings stay in it)
// into `document`, stopping at a nesting deeper than the decoder allows.  The
// benchmarks' parse floor calls it too, so that the floor and the full path
// run the same parsing code.
struct BodyParse {
  rapidjson::ParseResult result;
  bool too_deep = false;
};
BodyParse parse_body_in_place(char* text, rapidjson::Document& document);

// Decodes an AdmissionReview v1 body, or says precisely why it is not one
// (the problem names the field, not a place in the text).
Result<DecodedReview> decode_review(std::string body);

std::string_view operation_name(Operation operation);

}  // namespace windowguard::admission
