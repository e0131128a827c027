#pragma once
// The shapes of a YAML policy text: mappings with known fields, text values,
// lists, numbers, booleans and value forms.  Each problem goes to one sink, at
// its file:line:column, and reading carries on, so that one run shows every
// error in a file.
#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/result.hpp"
#include "core/suggestion.hpp"

namespace windowguard::policy {

// The field names a mapping may have, or the names an enumeration accepts.
using Names = std::span<const std::string_view>;

std::string in_quotes(std::string_view text);
// "a, b, c"
std::string join_names(Names names);
// "a, b or c"
std::string join_choices(Names names);
using core::suggestion;
// "a mapping", "a list", "a single value" or "nothing".
const char* describe_kind(const YAML::Node& node);

class YamlReader {
 public:
  // `text` is the file's, for warnings about how it was written; `warnings`
  // collects them (neither makes the policy invalid).
  YamlReader(std::string file, Problems& problems, const std::string& text, Problems& warnings)
      : file_(std::move(file)), problems_(problems), text_(text), warnings_(warnings) {}

  Location location_of(const YAML::Node& node) const;
  Location location_of(const YAML::Mark& mark) const;
  void report(const YAML::Node& node, std::string message) { report(location_of(node), std::move(message)); }
  void report(Location where, std::string message) { problems_.push_back({std::move(where), std::move(message)}); }
  // How many problems the sink holds: a reader whose count grew while reading
  // a value returns no value.
  std::size_t problem_count() const { return problems_.size(); }

  using Fields = std::map<std::string, YAML::Node, std::less<>>;

  // The fields of a mapping, reporting unknown and repeated keys; nullopt if
  // the node is not a mapping at all.
  std::optional<Fields> fields_of(const YAML::Node& node, std::string_view what, Names allowed);
  // The field, or a report that `what` lacks it.
  const YAML::Node* required(const Fields& fields, const YAML::Node& owner, std::string_view name,
                             std::string_view what);
  static const YAML::Node* optional(const Fields& fields, std::string_view name);

  std::optional<std::string> text(const YAML::Node& node, std::string_view what);
  std::optional<std::vector<std::string>> text_list(const YAML::Node& node, std::string_view what, bool allow_empty);
  std::optional<int> whole_number(const YAML::Node& node, std::string_view what, int low, int high);
  // A text value whose line goes on with a comment (`message: Ask #ops` reads
  // "Ask"): warned about, since the writer most likely meant it in the text.
  std::optional<std::string> text_warning_of_comment(const YAML::Node& node, std::string_view what);

  // YAML 1.2's booleans, in any case; YAML 1.1's yes, no, on and off are not
  // booleans here (docs/policy.md).
  std::optional<bool> boolean(const YAML::Node& node, std::string_view what);

  // A text value in one of docs/policy.md's forms ("02:00", "Sat 00:00", ...).
  template <typename T>
  std::optional<T> value_form(const YAML::Node& node, std::string_view what, Result<T> (*parse)(std::string_view)) {
    const auto raw = text(node, what);
    if (!raw) {
      return std::nullopt;
    }
    Result<T> parsed = parse(*raw);
    if (!parsed) {
      report(node, std::string(what) + ": " + parsed.error().message);
      return std::nullopt;
    }
    return std::move(parsed).value();
  }

 private:
  std::string file_;
  Problems& problems_;
  const std::string& text_;
  Problems& warnings_;
};

}  // namespace windowguard::policy
