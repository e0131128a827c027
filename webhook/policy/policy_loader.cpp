#include "policy/policy_loader.hpp"

#include <array>

#include <yaml-cpp/yaml.h>

#include "policy/binding_reader.hpp"
#include "policy/calendar_reader.hpp"
#include "policy/exception_reader.hpp"
#include "policy/image_rules_reader.hpp"
#include "policy/settings_reader.hpp"
#include "policy/window_reader.hpp"
#include "policy/yaml_documents.hpp"
#include "policy/yaml_reader.hpp"

namespace windowguard::policy {
namespace {

constexpr std::string_view kApiVersion = "windowguard.dev/v1";
constexpr std::string_view kKind = "WindowPolicy";
constexpr std::array<std::string_view, 8> kDocumentFields{"apiVersion", "kind",       "settings",  "windows",
                                                          "bindings",   "exceptions", "approvals", "imagePolicies"};

// Keeps a rule's name (for the compile step's uniqueness check) and, when it
// was readable, the rule.
template <typename Rule>
void keep(RuleReading<Rule> reading, std::vector<PlacedName>& names, std::vector<Rule>& rules) {
  if (reading.name) {
    names.push_back(std::move(*reading.name));
  }
  if (reading.rule) {
    rules.push_back(std::move(*reading.rule));
  }
}

// Calls `read_item` with each entry of the list field `name`, when present.
template <typename ReadItem>
void read_each(YamlReader& reader, const YamlReader::Fields& fields, std::string_view name, ReadItem read_item) {
  const YAML::Node* list = YamlReader::optional(fields, name);
  if (list == nullptr) {
    return;
  }
  if (!list->IsSequence()) {
    reader.report(*list, std::string(name) + " must be a list, not " + describe_kind(*list));
    return;
  }
  for (const YAML::Node& item : *list) {
    read_item(item);
  }
}

void read_document(YamlReader& reader, CalendarFiles& calendars, const YAML::Node& document, PolicyDocuments& into) {
  const auto fields = reader.fields_of(document, "a policy document", kDocumentFields);
  if (!fields) {
    return;
  }
  if (const YAML::Node* api_version = reader.required(*fields, document, "apiVersion", "a policy document")) {
    if (!api_version->IsScalar() || api_version->Scalar() != kApiVersion) {
      reader.report(*api_version, "apiVersion must be " + in_quotes(kApiVersion));
    }
  }
  if (const YAML::Node* kind = reader.required(*fields, document, "kind", "a policy document")) {
    if (!kind->IsScalar() || kind->Scalar() != kKind) {
      reader.report(*kind, "kind must be " + in_quotes(kKind));
    }
  }
  if (const YAML::Node* settings = YamlReader::optional(*fields, "settings")) {
    if (auto read = read_settings(reader, *settings, into.settings_where)) {
      into.settings = std::move(*read);
    }
  }
  read_each(reader, *fields, "windows", [&](const YAML::Node& item) {
    WindowReading reading = read_window(reader, calendars, item);
    if (reading.name) {
      into.window_names.push_back(std::move(*reading.name));
    }
    if (reading.window) {
      into.windows.push_back(std::move(*reading.window));
    }
  });
  read_each(reader, *fields, "bindings", [&](const YAML::Node& item) {
    BindingReading reading = read_binding(reader, item);
    into.window_references.insert(into.window_references.end(), reading.references.begin(), reading.references.end());
    if (reading.binding) {
      into.bindings.push_back(std::move(*reading.binding));
    }
  });
  read_each(reader, *fields, "exceptions", [&](const YAML::Node& item) {
    StaticExceptionReading reading = read_static_exception(reader, item);
    if (reading.name) {
      into.exception_names.push_back(std::move(*reading.name));
    }
    into.exception_window_references.insert(into.exception_window_references.end(), reading.windows.begin(),
                                            reading.windows.end());
    if (reading.exception) {
      into.exceptions.push_back(std::move(*reading.exception));
    }
  });
  read_each(reader, *fields, "approvals", [&](const YAML::Node& item) {
    keep(read_approval_rule(reader, item), into.approval_rule_names, into.image_rules.approvals);
  });
  read_each(reader, *fields, "imagePolicies", [&](const YAML::Node& item) {
    keep(read_image_policy(reader, item), into.image_policy_names, into.image_rules.image_policies);
  });
}

void read_source(const PolicySource& source, CalendarFiles& calendars, PolicyDocuments& into, Problems& problems,
                 Problems& warnings) {
  YamlReader reader(source.file, problems, source.text, warnings);
  std::vector<YAML::Node> documents;
  try {
    documents = load_yaml_documents(source.text);
  } catch (const YAML::Exception& problem) {
    reader.report(reader.location_of(problem.mark), describe_yaml_error(source.text, problem));
    return;
  }
  for (const YAML::Node& document : documents) {
    if (!document.IsNull()) {
      read_document(reader, calendars, document, into);
    }
  }
}

}  // namespace

Result<LoadedPolicy, Problems> load_policy(const std::vector<PolicySource>& sources) {
  std::vector<CalendarFiles::Source> calendar_sources;
  for (const PolicySource& source : sources) {
    if (is_calendar_file(source.file)) {
      calendar_sources.push_back({source.file, source.text});
    }
  }
  const std::size_t calendar_files = calendar_sources.size();
  CalendarFiles calendars(std::move(calendar_sources));
  PolicyDocuments documents;
  Problems problems;
  Problems warnings;
  for (const PolicySource& source : sources) {
    if (!is_calendar_file(source.file)) {
      read_source(source, calendars, documents, problems, warnings);
    }
  }
  auto compiled = compile_policy(documents, std::move(problems));
  if (compiled) {
    compiled->text_warnings = std::move(warnings);
    compiled->calendar_files = calendar_files;
  }
  return compiled;
}

}  // namespace windowguard::policy
