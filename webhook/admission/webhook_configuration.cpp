#include "admission/webhook_configuration.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/glob.hpp"
#include "core/governed_resources.hpp"

namespace windowguard::admission {
namespace {

std::string yaml_quoted(const std::string& text) {
  YAML::Emitter emitter;
  emitter << YAML::DoubleQuoted << text;
  return emitter.c_str();
}

struct TrustedConditions {
  std::vector<std::string> names;     // CEL literals of exact user names
  std::vector<std::string> prefixes;  // CEL literals of "prefix*" globs' prefixes
  std::vector<std::string> left_to_the_webhook;
};

TrustedConditions trusted_conditions(const std::vector<std::string>& trusted) {
  TrustedConditions conditions;
  for (const std::string& pattern : trusted) {
    const std::size_t literal = core::literal_prefix_length(pattern);
    if (literal == std::string_view::npos) {
      conditions.names.push_back(cel_string_literal(pattern));
    } else if (literal + 1 == pattern.size() && pattern.back() == '*') {
      conditions.prefixes.push_back(cel_string_literal(std::string_view(pattern).substr(0, literal)));
    } else {
      conditions.left_to_the_webhook.push_back(pattern);
    }
  }
  return conditions;
}

// The matchCondition that skips trusted requesters; empty when none can be
// written in CEL.
std::string trusted_expression(const TrustedConditions& conditions) {
  std::vector<std::string> terms;
  if (!conditions.names.empty()) {
    std::string list = "request.userInfo.username in [\n";
    for (std::size_t i = 0; i < conditions.names.size(); ++i) {
      list += "  " + conditions.names[i] + (i + 1 < conditions.names.size() ? ",\n" : "\n");
    }
    terms.push_back(list + "]");
  }
  for (const std::string& prefix : conditions.prefixes) {
    terms.push_back("request.userInfo.username.startsWith(" + prefix + ")");
  }
  if (terms.empty()) {
    return {};
  }
  std::string expression = "!(";
  for (std::size_t i = 0; i < terms.size(); ++i) {
    expression += (i == 0 ? "" : " ||\n") + terms[i];
  }
  return expression + ")";
}

// `has()` of every step of `path` from `root`: with failurePolicy Fail an
// expression that reads a missing field fails, and denies the request.
std::string present(std::string_view root, const core::FieldPath& path) {
  std::string terms;
  std::string at(root);
  for (const std::string& name : path) {
    at += "." + name;
    terms += (terms.empty() ? "has(" : " && has(") + at + ")";
  }
  return "(" + terms + ")";
}

// A workload's UPDATE is sent when its template changed or its replica
// count went to or from zero (a count left out is 1).
std::string workload_update(const core::GovernedResource& workload) {
  const std::string template_path = core::dotted(workload.template_path);
  std::string expression = present("object", workload.template_path) +
                           " != " + present("oldObject", workload.template_path) + " ||\n    (" +
                           present("object", workload.template_path) + " && object." + template_path +
                           " != oldObject." + template_path + ")";
  if (!workload.replicas_path.empty()) {
    const std::string replicas = core::dotted(workload.replicas_path);
    expression += " ||\n    (!" + present("oldObject", workload.replicas_path) + " || oldObject." + replicas +
                  " != 0) !=\n    (!" + present("object", workload.replicas_path) + " || object." + replicas + " != 0)";
  }
  return expression;
}

bool in_core_group(const core::GovernedResource& resource) { return resource.group.empty(); }

std::string resource_test(const core::GovernedResource& resource) {
  const std::string group = in_core_group(resource) ? "(!has(request.resource.group) || request.resource.group == '')"
                                                    : "has(request.resource.group) && request.resource.group == " +
                                                          cel_string_literal(resource.group);
  return group + " && request.resource.resource == " + cel_string_literal(resource.resource);
}

// The UPDATEs docs/admission.md governs, one branch per shape: a workload's
// template or a scale to or from zero (an autoscaling/v1 Scale leaves out a
// count of 0); a Pod's containers; a CronJob's job template or suspension.
// Jobs and Namespaces are not sent their UPDATEs at all.  Each field is
// tested with has() first (the API server leaves out empty ones, such as
// request.subResource).
std::string governed_update_expression(const core::Settings& settings) {
  std::string expression = R"(request.operation != 'UPDATE' ||
(has(request.subResource) && request.subResource == 'scale'
  ? (has(oldObject.spec.replicas) && oldObject.spec.replicas != 0) !=
    (has(object.spec.replicas) && object.spec.replicas != 0)
)";
  // Every kind with a Deployment's paths, or with its template and no count
  // (a left-out count is 1 on both sides), shares the last branch.
  const core::GovernedResource& deployment = core::builtin_governed_resources().front();
  for (const core::GovernedResource* resource : core::governed_resources(settings)) {
    switch (resource->shape) {
      case core::ResourceShape::Pod:
        expression += "  : " + resource_test(*resource) + R"(
  ? object.spec.containers != oldObject.spec.containers ||
    has(object.spec.initContainers) != has(oldObject.spec.initContainers) ||
    (has(object.spec.initContainers) && object.spec.initContainers != oldObject.spec.initContainers)
)";
        break;
      case core::ResourceShape::CronJob:
        expression += "  : " + resource_test(*resource) + R"(
  ? object.spec.jobTemplate != oldObject.spec.jobTemplate ||
    (has(object.spec.suspend) && object.spec.suspend) != (has(oldObject.spec.suspend) && oldObject.spec.suspend)
)";
        break;
      case core::ResourceShape::Workload:
        if (resource->template_path != deployment.template_path ||
            (!resource->replicas_path.empty() && resource->replicas_path != deployment.replicas_path)) {
          expression += "  : " + resource_test(*resource) + "\n  ? " + workload_update(*resource) + "\n";
        }
        break;
      case core::ResourceShape::Job:
      case core::ResourceShape::Namespace:
        break;
    }
  }
  return expression + "  : " + workload_update(deployment) + ")";
}

// The requests each kind is sent: docs/admission.md's table.
struct RuleEntry {
  const core::GovernedResource* resource;
  std::string operations;
  std::vector<std::string> resources;
};

std::vector<RuleEntry> rule_entries(const core::Settings& settings) {
  std::vector<RuleEntry> entries;
  for (const core::GovernedResource* resource : core::governed_resources(settings)) {
    const std::string& name = resource->resource;
    switch (resource->shape) {
      case core::ResourceShape::Workload:
        entries.push_back({resource, "[CREATE, UPDATE, DELETE]", {name}});
        if (resource->scale) {
          entries.back().resources.push_back(name + "/scale");
        }
        break;
      case core::ResourceShape::Pod:
        entries.push_back({resource, "[CREATE, UPDATE, DELETE]", {name}});
        entries.push_back({resource, "[CREATE]", {name + "/eviction"}});  // kubectl drain, the eviction API
        break;
      case core::ResourceShape::Job:
        entries.push_back({resource, "[CREATE, DELETE]", {name}});
        break;
      case core::ResourceShape::CronJob:
        entries.push_back({resource, "[CREATE, UPDATE, DELETE]", {name}});
        break;
      case core::ResourceShape::Namespace:
        entries.push_back({resource, "[DELETE]", {name}});
        break;
    }
  }
  return entries;
}

// One rule per group, version, operations and scope, in the table's order.
void append_rules(std::string& out, const core::Settings& settings) {
  out += "    rules:\n";
  std::vector<RuleEntry> entries = rule_entries(settings);
  std::vector<bool> written(entries.size(), false);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (written[i]) {
      continue;
    }
    const core::GovernedResource& first = *entries[i].resource;
    const bool cluster_scoped = first.shape == core::ResourceShape::Namespace;
    std::vector<std::string> resources;
    for (std::size_t j = i; j < entries.size(); ++j) {
      const core::GovernedResource& other = *entries[j].resource;
      if (!written[j] && other.group == first.group && other.version == first.version &&
          entries[j].operations == entries[i].operations &&
          (other.shape == core::ResourceShape::Namespace) == cluster_scoped) {
        resources.insert(resources.end(), entries[j].resources.begin(), entries[j].resources.end());
        written[j] = true;
      }
    }
    out += "      - apiGroups: [" + yaml_quoted(first.group) + "]\n";
    out += "        apiVersions: [" + yaml_quoted(first.version) + "]\n";
    out += "        operations: " + entries[i].operations + "\n";
    out += "        resources:\n";
    for (const std::string& resource : resources) {
      out += "          - " + yaml_quoted(resource) + "\n";
    }
    out += std::string("        scope: ") + (cluster_scoped ? "Cluster" : "Namespaced") + "\n";
  }
}

void append_block(std::string& out, const std::string& expression, const std::string& indent) {
  out += "|-\n";
  std::size_t start = 0;
  while (start <= expression.size()) {
    const std::size_t end = expression.find('\n', start);
    out += indent + expression.substr(start, end - start) + "\n";
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
}

void append_client_config(std::string& out, const WebhookClient& client) {
  out += "    clientConfig:\n";
  if (client.service) {
    out += "      service:\n";
    out += "        namespace: " + yaml_quoted(client.service->namespace_name) + "\n";
    out += "        name: " + yaml_quoted(client.service->name) + "\n";
    out += "        path: /validate\n";
    out += "        port: " + std::to_string(client.service->port) + "\n";
  } else {
    out += "      url: " + yaml_quoted(client.url) + "\n";
  }
  if (client.ca_bundle_base64.empty()) {
    out += "      # caBundle is added by an overlay: certs/self-signed.sh or certs/cert-manager/.\n";
  } else {
    out += "      caBundle: " + client.ca_bundle_base64 + "\n";
  }
}

constexpr const char* kHead = R"(apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: windowguard
  labels:
    app.kubernetes.io/name: windowguard
webhooks:
  - name: windows.windowguard.dev
    admissionReviewVersions: [v1]
    # Decisions have no side effects, so server-side dry runs are sent too.
    sideEffects: None
    # Fail: a window cannot be escaped by making the webhook unreachable. The
    # blast radius is kept to governed actions: only the requests below, never
    # kube-system or windowguard's own namespace, never a trusted requester or
    # an UPDATE that is not governed (the matchConditions), two replicas and a
    # PodDisruptionBudget. Set it to Ignore to prefer availability over
    # enforcement (docs/install.md).
    failurePolicy: Fail
    # Decisions take well under a millisecond; 5s leaves room for a new TLS
    # handshake on a loaded node while a dead replica costs a kubectl user
    # 5s, not the default 10s (the API server allows at most 30).
    timeoutSeconds: 5
    matchPolicy: Equivalent
)";

constexpr const char* kSelection = R"(    namespaceSelector:
      matchExpressions:
        - key: kubernetes.io/metadata.name
          operator: NotIn
          values: [kube-system, windowguard]
    # Skipped before any call, so that they never wait on windowguard, even
    # when it is down: the policy's settings.trustedRequesters, and the
    # UPDATEs windowguard never governs. They skip only what windowguard would
    # allow; it still decides everything it is sent. Kubernetes 1.28+ (beta,
    # on by default) / 1.30+ (GA).
    matchConditions:
)";

// Writes to WindowExceptions and ImageApprovals, cancellations (DELETE)
// included: every one is checked, in every namespace, whoever makes it but
// Kubernetes' own controllers (the namespace controller and the garbage
// collector delete what a namespace holds).  A policy's own trusted
// requesters are checked: a trusted CI token must not file or approve
// requests unchecked.
constexpr const char* kExceptionsHead = R"(  - name: exceptions.windowguard.dev
    admissionReviewVersions: [v1]
    sideEffects: None
    # Fail: while windowguard is down nobody can file or approve an exception,
    # so none can be forged.
    failurePolicy: Fail
    timeoutSeconds: 5
    matchPolicy: Equivalent
)";

constexpr const char* kExceptionsRules = R"(    rules:
      - apiGroups: [windowguard.dev]
        apiVersions: [v1]
        operations: [CREATE, UPDATE, DELETE]
        resources: [windowexceptions, windowexceptions/status, imageapprovals, imageapprovals/status]
        scope: Namespaced
    matchConditions:
      - name: not-kubernetes-own-controller
        expression: )";

}  // namespace

std::string cel_string_literal(std::string_view text) {
  std::string literal = "'";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\' || c == '\'') {
      literal += '\\';
      literal += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      literal += escaped;
    } else {
      literal += c;
    }
  }
  return literal + "'";
}

WebhookConfiguration render_webhook_configuration(const core::Settings& settings, const WebhookClient& client,
                                                  const std::string& rendered_by) {
  const TrustedConditions trusted = trusted_conditions(settings.all_trusted_requesters());
  WebhookConfiguration rendered;
  rendered.left_to_the_webhook = trusted.left_to_the_webhook;
  std::string& out = rendered.yaml;
  out = "# Rendered by `" + rendered_by +
        "` from the policy's settings:\n"
        "# change the policy and render it again rather than editing this file.\n";
  out += kHead;
  append_client_config(out, client);
  append_rules(out, settings);
  out += kSelection;
  const std::string trusted_condition = trusted_expression(trusted);
  if (!trusted_condition.empty()) {
    out += "      - name: not-a-trusted-requester\n        expression: ";
    append_block(out, trusted_condition, "          ");
  }
  for (const std::string& pattern : trusted.left_to_the_webhook) {
    out += "      # trusted requester " + yaml_quoted(pattern) + " has no CEL form: the webhook allows it.\n";
  }
  out += "      - name: a-governed-request\n        expression: ";
  append_block(out, governed_update_expression(settings), "          ");
  out += kExceptionsHead;
  append_client_config(out, client);
  out += kExceptionsRules;
  append_block(out, trusted_expression(trusted_conditions(core::Settings::builtin_trusted_requesters())), "          ");
  return rendered;
}

}  // namespace windowguard::admission
