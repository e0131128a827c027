#include "admission/review_decoder.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include "json/json_members.hpp"
#include "json/utf8.hpp"

namespace windowguard::admission {
namespace {

using rapidjson::Value;

constexpr std::string_view kApiVersion = "admission.k8s.io/v1";
// Kubernetes objects nest a few dozen levels; the limit keeps hostile input
// from exhausting the stack in the recursive comparisons that follow.
constexpr int kMostNesting = 128;

// Forwards SAX events to the document while bounding the nesting depth.
template <typename Handler>
class DepthLimiter {
 public:
  explicit DepthLimiter(Handler& handler) : handler_(handler) {}
  bool too_deep() const { return too_deep_; }

  bool Null() { return handler_.Null(); }
  bool Bool(bool value) { return handler_.Bool(value); }
  bool Int(int value) { return handler_.Int(value); }
  bool Uint(unsigned value) { return handler_.Uint(value); }
  bool Int64(std::int64_t value) { return handler_.Int64(value); }
  bool Uint64(std::uint64_t value) { return handler_.Uint64(value); }
  bool Double(double value) { return handler_.Double(value); }
  bool RawNumber(const char* text, rapidjson::SizeType length, bool copy) {
    return handler_.RawNumber(text, length, copy);
  }
  bool String(const char* text, rapidjson::SizeType length, bool copy) { return handler_.String(text, length, copy); }
  bool Key(const char* text, rapidjson::SizeType length, bool copy) { return handler_.Key(text, length, copy); }
  bool StartObject() { return enter() && handler_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) {
    --depth_;
    return handler_.EndObject(members);
  }
  bool StartArray() { return enter() && handler_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) {
    --depth_;
    return handler_.EndArray(elements);
  }

 private:
  bool enter() {
    too_deep_ = ++depth_ > kMostNesting;
    return !too_deep_;
  }
  Handler& handler_;
  int depth_ = 0;
  bool too_deep_ = false;
};

// Parses in situ (strings stay in the body: no copies).  The parser recurses
// per nesting level; DepthLimiter stops it at kMostNesting, which bounds the
// stack.  UTF-8 is checked afterwards, only in the strings windowguard echoes
// (docs/performance.md has what checking every string costs).
struct BodyParser {
  char* text;
  rapidjson::ParseResult result;
  bool too_deep = false;

  template <typename Handler>
  bool operator()(Handler& document) {
    DepthLimiter<Handler> limiter(document);
    rapidjson::InsituStringStream stream(text);
    rapidjson::Reader reader;
    result = reader.Parse<rapidjson::kParseInsituFlag>(stream, limiter);
    too_deep = limiter.too_deep();
    return !result.IsError();
  }
};
constexpr std::string_view kKind = "AdmissionReview";

// Reads the fields of one JSON object, remembering the first problem.
class FieldReader {
 public:
  // `path` names the object in problems ("request.userInfo"); it outlives the reader.
  FieldReader(const Value& object, std::string_view path, std::string& problem)
      : object_(object), path_(path), problem_(problem) {}

  const Value* member(std::string_view name) const {
    const Value* found = json::member(&object_, name);
    return found == nullptr || found->IsNull() ? nullptr : found;
  }

  std::string_view string(std::string_view name, bool required) {
    const Value* value = member(name);
    if (value == nullptr) {
      if (required) {
        fail(name, "is missing");
      }
      return {};
    }
    if (!value->IsString()) {
      fail(name, "must be a string");
      return {};
    }
    if (required && value->GetStringLength() == 0) {
      fail(name, "must not be empty");
    }
    return json::text(*value);
  }

  const Value* object(std::string_view name, bool required) {
    const Value* value = member(name);
    if (value == nullptr) {
      if (required) {
        fail(name, "is missing");
      }
      return nullptr;
    }
    if (!value->IsObject()) {
      fail(name, "must be an object");
      return nullptr;
    }
    return value;
  }

  void fail(std::string_view name, std::string_view what) {
    if (problem_.empty()) {
      problem_ = std::string(path_) + "." + std::string(name) + " " + std::string(what);
    }
  }

 private:
  const Value& object_;
  std::string_view path_;
  std::string& problem_;
};

void read_gvk(FieldReader& request, std::string& problem, GroupVersionKind& into) {
  if (const Value* kind = request.object("kind", true)) {
    FieldReader fields(*kind, "request.kind", problem);
    into = {fields.string("group", false), fields.string("version", true), fields.string("kind", true)};
  }
}

void read_gvr(FieldReader& request, std::string& problem, GroupVersionResource& into) {
  if (const Value* resource = request.object("resource", true)) {
    FieldReader fields(*resource, "request.resource", problem);
    into = {fields.string("group", false), fields.string("version", true), fields.string("resource", true)};
  }
}

void read_operation(FieldReader& request, Operation& into) {
  const std::string_view operation = request.string("operation", true);
  if (operation == "CREATE") {
    into = Operation::Create;
  } else if (operation == "UPDATE") {
    into = Operation::Update;
  } else if (operation == "DELETE") {
    into = Operation::Delete;
  } else if (operation == "CONNECT") {
    into = Operation::Connect;
  } else if (!operation.empty()) {
    request.fail("operation", "must be CREATE, UPDATE, DELETE or CONNECT");
  }
}

void read_user(FieldReader& request, std::string& problem, AdmissionRequest& into) {
  const Value* user = request.object("userInfo", true);
  if (user == nullptr) {
    return;
  }
  FieldReader fields(*user, "request.userInfo", problem);
  into.username = fields.string("username", false);
  if (const Value* groups = fields.member("groups")) {
    if (!groups->IsArray()) {
      fields.fail("groups", "must be a list of strings");
      return;
    }
    into.groups.reserve(groups->Size());
    for (const Value& group : groups->GetArray()) {
      if (!group.IsString()) {
        fields.fail("groups", "must be a list of strings");
        return;
      }
      into.groups.emplace_back(json::text(group));
    }
  }
}

std::string_view metadata_name(const Value* object) {
  const Value* name = json::member(json::member(object, "metadata"), "name");
  return name != nullptr && name->IsString() ? json::text(*name) : std::string_view{};
}

}  // namespace

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::Create:
      return "CREATE";
    case Operation::Update:
      return "UPDATE";
    case Operation::Delete:
      return "DELETE";
    case Operation::Connect:
      return "CONNECT";
  }
  return "";
}

BodyParse parse_body_in_place(char* text, rapidjson::Document& document) {
  BodyParser parser{text, {}};
  document.Populate(parser);
  return {parser.result, parser.too_deep};
}

Result<DecodedReview> decode_review(std::string body) {
  DecodedReview review;
  review.parsed_ = std::make_unique<DecodedReview::Parsed>();
  review.parsed_->body = std::move(body);
  rapidjson::Document& document = review.parsed_->document;
  const BodyParse parsed = parse_body_in_place(review.parsed_->body.data(), document);
  if (parsed.too_deep) {
    return Problem("body nests deeper than " + std::to_string(kMostNesting) + " levels");
  }
  if (parsed.result.IsError()) {
    return Problem("body is not valid JSON: " + std::string(rapidjson::GetParseError_En(parsed.result.Code())) +
                   " (at byte " + std::to_string(parsed.result.Offset()) + ")");
  }
  if (!document.IsObject()) {
    return Problem("body must be a JSON object (an AdmissionReview)");
  }
  std::string problem;
  FieldReader top(document, "", problem);
  const std::string_view api_version = top.string("apiVersion", true);
  const std::string_view kind = top.string("kind", true);
  if (!problem.empty()) {
    return Problem(problem.substr(1));
  }
  if (api_version != kApiVersion) {
    return Problem("apiVersion must be \"admission.k8s.io/v1\", not \"" + std::string(api_version) + "\"");
  }
  if (kind != kKind) {
    return Problem("kind must be \"AdmissionReview\", not \"" + std::string(kind) + "\"");
  }
  const Value* request_value = top.object("request", true);
  if (request_value == nullptr) {
    return Problem(problem.substr(1));
  }
  FieldReader request(*request_value, "request", problem);
  AdmissionRequest& into = review.request_;
  into.uid = request.string("uid", true);
  read_gvk(request, problem, into.kind);
  read_gvr(request, problem, into.resource);
  into.sub_resource = request.string("subResource", false);
  into.namespace_name = request.string("namespace", false);
  into.name = request.string("name", false);
  read_operation(request, into.operation);
  read_user(request, problem, into);
  into.object = request.object("object", false);
  into.old_object = request.object("oldObject", false);
  if (const Value* dry_run = request.member("dryRun")) {
    if (!dry_run->IsBool()) {
      request.fail("dryRun", "must be true or false");
    } else {
      into.dry_run = dry_run->GetBool();
    }
  }
  if (!problem.empty()) {
    return Problem(problem);
  }
  const std::pair<const char*, std::string_view> echoed[] = {{"request.uid", into.uid},
                                                             {"request.namespace", into.namespace_name},
                                                             {"request.name", into.name},
                                                             {"request.userInfo.username", into.username},
                                                             {"request.kind.kind", into.kind.kind},
                                                             {"request.subResource", into.sub_resource}};
  for (const auto& [field, text] : echoed) {
    if (!json::is_valid_utf8(text)) {
      return Problem(std::string(field) + " is not valid UTF-8");
    }
  }
  if (into.operation != Operation::Delete && into.object == nullptr) {
    return Problem("request.object is missing (a " + std::string(operation_name(into.operation)) +
                   " carries the object)");
  }
  if (into.operation == Operation::Delete && into.old_object == nullptr) {
    return Problem("request.oldObject is missing (a DELETE carries the deleted object)");
  }
  if (into.operation == Operation::Update && into.old_object == nullptr) {
    return Problem("request.oldObject is missing (an UPDATE carries the previous object)");
  }
  if (into.name.empty()) {
    into.name = metadata_name(into.operation == Operation::Delete ? into.old_object : into.object);
  }
  return review;
}

}  // namespace windowguard::admission
