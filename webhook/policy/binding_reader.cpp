#include "policy/binding_reader.hpp"

#include <algorithm>
#include <array>

#include "policy/value_forms.hpp"

namespace windowguard::policy {
namespace {

constexpr std::array<std::string_view, 5> kBindingFields{"windows", "environments", "applications", "selector",
                                                         "namespaceSelector"};
constexpr std::array<std::string_view, 2> kSelectorFields{"matchLabels", "matchExpressions"};
constexpr std::array<std::string_view, 3> kRequirementFields{"key", "operator", "values"};

using Operator = core::LabelRequirement::Operator;
struct OperatorName {
  std::string_view name;
  Operator value;
};
constexpr std::array<OperatorName, 4> kOperators{{{"In", Operator::In},
                                                  {"NotIn", Operator::NotIn},
                                                  {"Exists", Operator::Exists},
                                                  {"DoesNotExist", Operator::DoesNotExist}}};
constexpr std::array<std::string_view, kOperators.size()> kOperatorNames{"In", "NotIn", "Exists", "DoesNotExist"};

std::optional<core::LabelRequirement> read_requirement(YamlReader& reader, const YAML::Node& node) {
  const auto fields = reader.fields_of(node, "a matchExpressions entry", kRequirementFields);
  if (!fields) {
    return std::nullopt;
  }
  const YAML::Node* key = reader.required(*fields, node, "key", "a matchExpressions entry");
  const YAML::Node* op = reader.required(*fields, node, "operator", "a matchExpressions entry");
  const auto key_text = key ? reader.text(*key, "matchExpressions key") : std::nullopt;
  const auto op_text = op ? reader.text(*op, "matchExpressions operator") : std::nullopt;
  if (!key_text || !op_text) {
    return std::nullopt;
  }
  const auto found = std::find_if(kOperators.begin(), kOperators.end(),
                                  [&](const OperatorName& candidate) { return same_name(*op_text, candidate.name); });
  if (found == kOperators.end()) {
    reader.report(*op, "matchExpressions operator " + in_quotes(*op_text) + " is unknown; expected " +
                           join_choices(kOperatorNames));
    return std::nullopt;
  }
  core::LabelRequirement requirement{*key_text, found->value, {}};
  const YAML::Node* values = YamlReader::optional(*fields, "values");
  const bool needs_values = found->value == Operator::In || found->value == Operator::NotIn;
  if (needs_values) {
    if (!values) {
      reader.report(node, "matchExpressions operator " + *op_text + " needs a non-empty values list");
      return std::nullopt;
    }
    auto list = reader.text_list(*values, "matchExpressions values", false);
    if (!list) {
      return std::nullopt;
    }
    requirement.values = std::move(*list);
  } else if (values && values->size() != 0) {
    reader.report(*values, "matchExpressions operator " + *op_text + " takes no values");
    return std::nullopt;
  }
  return requirement;
}

// `what`: "selector" or "namespaceSelector".
std::optional<core::LabelSelector> read_selector(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  const auto fields = reader.fields_of(node, "binding " + what, kSelectorFields);
  if (!fields) {
    return std::nullopt;
  }
  core::LabelSelector selector;
  if (const YAML::Node* labels = YamlReader::optional(*fields, "matchLabels")) {
    if (!labels->IsMap()) {
      reader.report(*labels, what + " matchLabels must be a mapping of label to value, not " + describe_kind(*labels));
    } else {
      for (const auto& entry : *labels) {
        const auto key = reader.text(entry.first, "a matchLabels key");
        const auto value = reader.text(entry.second, "a matchLabels value");
        if (key && value) {
          selector.match_labels.emplace_back(*key, *value);
        }
      }
    }
  }
  if (const YAML::Node* expressions = YamlReader::optional(*fields, "matchExpressions")) {
    if (!expressions->IsSequence()) {
      reader.report(*expressions, what + " matchExpressions must be a list, not " + describe_kind(*expressions));
    } else {
      for (const YAML::Node& expression : *expressions) {
        if (auto requirement = read_requirement(reader, expression)) {
          selector.match_expressions.push_back(std::move(*requirement));
        }
      }
    }
  }
  return selector;
}

}  // namespace

BindingReading read_binding(YamlReader& reader, const YAML::Node& node) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "a binding", kBindingFields);
  if (!fields) {
    return {};
  }
  BindingReading reading;
  BindingDefinition binding;
  if (const YAML::Node* windows = reader.required(*fields, node, "windows", "a binding")) {
    if (const auto names = reader.text_list(*windows, "binding windows", false)) {
      for (std::size_t i = 0; i < names->size(); ++i) {
        binding.windows.push_back({reader.location_of((*windows)[i]), (*names)[i]});
      }
    }
  }
  const YAML::Node* namespace_selector = YamlReader::optional(*fields, "namespaceSelector");
  if (namespace_selector != nullptr) {
    binding.namespace_selector = read_selector(reader, *namespace_selector, "namespaceSelector");
  }
  const YAML::Node* environments = namespace_selector != nullptr
                                       ? YamlReader::optional(*fields, "environments")
                                       : reader.required(*fields, node, "environments", "a binding");
  if (environments != nullptr) {
    binding.environments =
        reader.text_list(*environments, "binding environments", false).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* applications = YamlReader::optional(*fields, "applications")) {
    binding.applications =
        reader.text_list(*applications, "binding applications", true).value_or(std::vector<std::string>{});
    if (applications->IsSequence() && applications->size() == 0) {
      reader.report(*applications,
                    "binding applications must not be an empty list; omit it to match every application");
    }
  }
  if (const YAML::Node* selector = YamlReader::optional(*fields, "selector")) {
    binding.selector = read_selector(reader, *selector, "selector");
  }
  reading.references = binding.windows;
  if (reader.problem_count() == problems_before) {
    reading.binding = std::move(binding);
  }
  return reading;
}

}  // namespace windowguard::policy
