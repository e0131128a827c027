#pragma once
// The ValidatingWebhookConfiguration that sends windowguard the requests of
// docs/admission.md, rendered from the policy's settings so that the cluster
// skips exactly the requesters the webhook trusts (`windowguard
// webhook-config`).
#include <string>
#include <vector>

#include "core/policy.hpp"

namespace windowguard::admission {

struct ServiceReference {
  std::string namespace_name;
  std::string name;
  int port = 443;
};

// Where the API server sends reviews: a Service in the cluster, or a URL.
struct WebhookClient {
  std::optional<ServiceReference> service;
  std::string url;               // used when there is no service
  std::string ca_bundle_base64;  // empty: left for an overlay to add
};

struct WebhookConfiguration {
  std::string yaml;
  // Trusted requesters whose globs have no CEL equivalent ("*-bot",
  // "system:?ode"): the API server calls the webhook for them, and the
  // webhook trusts them.
  std::vector<std::string> left_to_the_webhook;
};

// `rendered_by` is the command line, named in the output's first comment.
WebhookConfiguration render_webhook_configuration(const core::Settings& settings, const WebhookClient& client,
                                                  const std::string& rendered_by);

// The CEL string literal for `text`, single-quoted.
std::string cel_string_literal(std::string_view text);

}  // namespace windowguard::admission
