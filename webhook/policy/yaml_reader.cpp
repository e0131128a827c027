#include "policy/yaml_reader.hpp"

#include <algorithm>
#include <charconv>

#include "policy/value_forms.hpp"
#include "policy/yaml_documents.hpp"

namespace windowguard::policy {

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string join_names(Names names) {
  std::string joined;
  for (std::string_view name : names) {
    joined += (joined.empty() ? "" : ", ") + std::string(name);
  }
  return joined;
}

std::string join_choices(Names names) {
  if (names.size() < 2) {
    return join_names(names);
  }
  return join_names(names.first(names.size() - 1)) + " or " + std::string(names.back());
}

const char* describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

Location YamlReader::location_of(const YAML::Node& node) const { return location_of(node.Mark()); }

Location YamlReader::location_of(const YAML::Mark& mark) const { return {file_, mark.line + 1, mark.column + 1}; }

std::optional<YamlReader::Fields> YamlReader::fields_of(const YAML::Node& node, std::string_view what, Names allowed) {
  if (!node.IsMap()) {
    report(node, std::string(what) + " must be a mapping, not " + describe_kind(node));
    return std::nullopt;
  }
  Fields fields;
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      report(key, "keys in " + std::string(what) + " must be plain names");
      continue;
    }
    const std::string& name = key.Scalar();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      report(key, "unknown field " + in_quotes(name) + " in " + std::string(what) + suggestion(name, allowed) +
                      "; expected one of: " + join_names(allowed));
      continue;
    }
    if (fields.count(name) != 0) {
      report(key, "field " + in_quotes(name) + " is given twice in " + std::string(what));
      continue;
    }
    fields.emplace(name, entry.second);
  }
  return fields;
}

const YAML::Node* YamlReader::required(const Fields& fields, const YAML::Node& owner, std::string_view name,
                                       std::string_view what) {
  const auto found = fields.find(name);
  if (found == fields.end()) {
    report(owner, std::string(what) + " is missing the required field " + in_quotes(name));
    return nullptr;
  }
  return &found->second;
}

const YAML::Node* YamlReader::optional(const Fields& fields, std::string_view name) {
  const auto found = fields.find(name);
  return found == fields.end() ? nullptr : &found->second;
}

std::optional<std::string> YamlReader::text(const YAML::Node& node, std::string_view what) {
  if (!node.IsScalar() || node.Scalar().empty()) {
    report(node, std::string(what) + " must be a non-empty text value, not " +
                     (node.IsScalar() ? "an empty one" : describe_kind(node)));
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<std::vector<std::string>> YamlReader::text_list(const YAML::Node& node, std::string_view what,
                                                              bool allow_empty) {
  if (!node.IsSequence()) {
    report(node, std::string(what) + " must be a list, not " + describe_kind(node));
    return std::nullopt;
  }
  if (node.size() == 0 && !allow_empty) {
    report(node, std::string(what) + " must not be an empty list");
    return std::nullopt;
  }
  std::vector<std::string> values;
  bool all_valid = true;
  for (const YAML::Node& item : node) {
    if (auto value = text(item, "each entry of " + std::string(what))) {
      values.push_back(std::move(*value));
    } else {
      all_valid = false;
    }
  }
  return all_valid ? std::optional(std::move(values)) : std::nullopt;
}

std::optional<int> YamlReader::whole_number(const YAML::Node& node, std::string_view what, int low, int high) {
  const std::string range = " between " + std::to_string(low) + " and " + std::to_string(high);
  int value = 0;
  if (node.IsScalar()) {
    const std::string& scalar = node.Scalar();
    const auto [end, problem] = std::from_chars(scalar.data(), scalar.data() + scalar.size(), value);
    if (problem == std::errc{} && end == scalar.data() + scalar.size() && value >= low && value <= high) {
      return value;
    }
  }
  report(node, std::string(what) + " must be a whole number" + range);
  return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& node, std::string_view what) {
  if (node.IsScalar() && (same_name(node.Scalar(), "true") || same_name(node.Scalar(), "false"))) {
    return same_name(node.Scalar(), "true");
  }
  report(node, std::string(what) + " must be true or false");
  return std::nullopt;
}

std::optional<std::string> YamlReader::text_warning_of_comment(const YAML::Node& node, std::string_view what) {
  std::optional<std::string> value = text(node, what);
  if (!value || node.Tag() != "?") {
    return value;  // quoted: a '#' inside is text
  }
  const YAML::Mark mark = node.Mark();
  const std::string_view line = line_at(text_, mark.line);
  const std::size_t after = static_cast<std::size_t>(mark.column) + value->size();
  if (value->find('\n') == std::string::npos && after < line.size()) {
    const std::size_t comment = line.find_first_not_of(" \t", after);
    if (comment != std::string_view::npos && line[comment] == '#') {
      warnings_.push_back({location_of(node), std::string(what) + " ends at \" #\": YAML reads \"" +
                                                  std::string(line.substr(comment)) +
                                                  "\" as a comment; quote the text to keep it"});
    }
  }
  return value;
}

}  // namespace windowguard::policy
