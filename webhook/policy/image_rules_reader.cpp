#include "policy/image_rules_reader.hpp"

#include <array>

#include "core/qualified_name.hpp"
#include "policy/value_forms.hpp"
#include "policy/window_reader.hpp"

namespace windowguard::policy {
namespace {

constexpr std::array<std::string_view, 10> kApprovalRuleFields{"name",
                                                               "environments",
                                                               "applications",
                                                               "required",
                                                               "promotedFrom",
                                                               "approvers",
                                                               "expireAfter",
                                                               "allowRequesterToApprove",
                                                               "allowBuilderToApprove",
                                                               "allowApproverToDeploy"};
constexpr std::array<std::string_view, 6> kImagePolicyFields{"name", "environments", "applications",
                                                             "pass", "fail",         "message"};
constexpr std::array<std::string_view, 5> kConditionFields{"image", "registry", "repository", "tag", "digest"};

// The entry's name, reported when it is missing or not a qualified name.
template <typename Rule>
std::string read_name(YamlReader& reader, const YamlReader::Fields& fields, const YAML::Node& node,
                      std::string_view kind, RuleReading<Rule>& reading) {
  const YAML::Node* name = reader.required(fields, node, "name", "an " + std::string(kind));
  if (name == nullptr) {
    return std::string(kind);
  }
  const auto value = reader.text(*name, std::string("the ") + std::string(kind) + " name");
  if (!value) {
    return std::string(kind);
  }
  if (!core::is_qualified_name(*value)) {
    reader.report(*name, std::string(kind) + " name " + in_quotes(*value) +
                             " must be 1 to 63 letters, digits, '-', '_' or '.', starting and ending with a letter "
                             "or digit");
  }
  reading.name = PlacedName{reader.location_of(*name), *value};
  return std::string(kind) + " " + in_quotes(*value);
}

// `environments` (required) and `applications` (optional, default all).
template <typename Rule>
void read_scope(YamlReader& reader, const YamlReader::Fields& fields, const YAML::Node& node, const std::string& what,
                Rule& rule) {
  if (const YAML::Node* environments = reader.required(fields, node, "environments", what)) {
    rule.environments =
        reader.text_list(*environments, what + " environments", false).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* applications = YamlReader::optional(fields, "applications")) {
    rule.applications =
        reader.text_list(*applications, what + " applications", false).value_or(std::vector<std::string>{});
  }
}

bool read_flag(YamlReader& reader, const YamlReader::Fields& fields, std::string_view name, const std::string& what) {
  const YAML::Node* flag = YamlReader::optional(fields, name);
  return flag != nullptr && reader.boolean(*flag, what + " " + std::string(name)).value_or(false);
}

core::ImageCondition read_condition(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  core::ImageCondition condition;
  const auto fields = reader.fields_of(node, what, kConditionFields);
  if (!fields) {
    return condition;
  }
  if (node.size() == 0) {
    reader.report(node, what + " must give at least one of image, registry, repository, tag or digest");
    return condition;
  }
  const auto glob = [&](std::string_view name, std::optional<std::string>& into) {
    if (const YAML::Node* field = YamlReader::optional(*fields, name)) {
      into = reader.text(*field, what + " " + std::string(name));
    }
  };
  glob("image", condition.image);
  glob("registry", condition.registry);
  glob("repository", condition.repository);
  glob("tag", condition.tag);
  if (const YAML::Node* digest = YamlReader::optional(*fields, "digest")) {
    if (const auto value = reader.text(*digest, what + " digest")) {
      if (*value == "present") {
        condition.digest = core::DigestCondition::Present;
      } else if (*value == "absent") {
        condition.digest = core::DigestCondition::Absent;
      } else if (value->find(':') == std::string::npos) {
        reader.report(*digest, what + " digest " + in_quotes(*value) +
                                   " must be present, absent, or a pattern of algorithm:hex such as \"sha256:*\"");
      } else {
        condition.digest = core::DigestCondition::Matches;
        condition.digest_pattern = *value;
      }
    }
  }
  return condition;
}

std::vector<core::ImageCondition> read_conditions(YamlReader& reader, const YAML::Node& node, const std::string& what) {
  std::vector<core::ImageCondition> conditions;
  if (!node.IsSequence() || node.size() == 0) {
    reader.report(node, what + " must be a non-empty list of conditions");
    return conditions;
  }
  for (std::size_t i = 0; i < node.size(); ++i) {
    conditions.push_back(read_condition(reader, node[i], what + " condition " + std::to_string(i + 1)));
  }
  return conditions;
}

}  // namespace

RuleReading<core::ApprovalRule> read_approval_rule(YamlReader& reader, const YAML::Node& node) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "an approvals rule", kApprovalRuleFields);
  if (!fields) {
    return {};
  }
  RuleReading<core::ApprovalRule> reading;
  core::ApprovalRule rule;
  const std::string what = read_name(reader, *fields, node, "approvals rule", reading);
  if (reading.name) {
    rule.name = reading.name->name;
  }
  read_scope(reader, *fields, node, what, rule);
  if (const YAML::Node* required = YamlReader::optional(*fields, "required")) {
    rule.required =
        reader.whole_number(*required, what + " required", 0, core::kMostRequiredApprovals).value_or(rule.required);
  }
  if (const YAML::Node* promoted_from = YamlReader::optional(*fields, "promotedFrom")) {
    rule.promoted_from =
        reader.text_list(*promoted_from, what + " promotedFrom", false).value_or(std::vector<std::string>{});
  }
  if (const YAML::Node* approvers = YamlReader::optional(*fields, "approvers")) {
    rule.approvers = read_people(reader, *approvers, what + " approvers", true);
  }
  if (const YAML::Node* expire_after = YamlReader::optional(*fields, "expireAfter")) {
    if (const auto duration = reader.value_form(*expire_after, what + " expireAfter", parse_go_duration)) {
      if (*duration <= core::seconds{0}) {
        reader.report(*expire_after, what + " expireAfter must be more than 0s");
      } else {
        rule.expire_after = *duration;
      }
    }
  }
  rule.allow_requester_to_approve = read_flag(reader, *fields, "allowRequesterToApprove", what);
  rule.allow_builder_to_approve = read_flag(reader, *fields, "allowBuilderToApprove", what);
  rule.allow_approver_to_deploy = read_flag(reader, *fields, "allowApproverToDeploy", what);
  if (reader.problem_count() == problems_before) {
    reading.rule = std::move(rule);
  }
  return reading;
}

RuleReading<core::ImagePolicy> read_image_policy(YamlReader& reader, const YAML::Node& node) {
  const std::size_t problems_before = reader.problem_count();
  const auto fields = reader.fields_of(node, "an image policy", kImagePolicyFields);
  if (!fields) {
    return {};
  }
  RuleReading<core::ImagePolicy> reading;
  core::ImagePolicy image_policy;
  const std::string what = read_name(reader, *fields, node, "image policy", reading);
  if (reading.name) {
    image_policy.name = reading.name->name;
  }
  read_scope(reader, *fields, node, what, image_policy);
  const YAML::Node* pass = YamlReader::optional(*fields, "pass");
  const YAML::Node* fail = YamlReader::optional(*fields, "fail");
  if (pass == nullptr && fail == nullptr) {
    reader.report(node, what + " must give pass or fail conditions");
  }
  if (pass != nullptr) {
    image_policy.pass = read_conditions(reader, *pass, what + " pass");
  }
  if (fail != nullptr) {
    image_policy.fail = read_conditions(reader, *fail, what + " fail");
  }
  if (const YAML::Node* message = YamlReader::optional(*fields, "message")) {
    image_policy.message = reader.text(*message, what + " message").value_or("");
  }
  if (reader.problem_count() == problems_before) {
    reading.rule = std::move(image_policy);
  }
  return reading;
}

}  // namespace windowguard::policy
