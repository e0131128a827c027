#include <openssl/evp.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <ostream>

#include "admission/webhook_configuration.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace windowguard::cli {
namespace {

// "NS/NAME" or "NS/NAME:PORT".
std::optional<admission::ServiceReference> parse_service(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0) {
    return std::nullopt;
  }
  admission::ServiceReference service;
  service.namespace_name = text.substr(0, slash);
  std::string rest = text.substr(slash + 1);
  const std::size_t colon = rest.find(':');
  if (colon != std::string::npos) {
    const std::string port = rest.substr(colon + 1);
    const auto [end, failed] = std::from_chars(port.data(), port.data() + port.size(), service.port);
    if (failed != std::errc() || end != port.data() + port.size() || service.port < 1 || service.port > 65535) {
      return std::nullopt;
    }
    rest.resize(colon);
  }
  if (rest.empty() || rest.find('/') != std::string::npos) {
    return std::nullopt;
  }
  service.name = rest;
  return service;
}

std::string base64(const std::string& bytes) {
  std::string encoded(4 * ((bytes.size() + 2) / 3), '\0');
  const int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(written));
  return encoded;
}

po::options_description webhook_config_options() {
  po::options_description options(
      "usage: windowguard webhook-config --policies DIR (--service NS/NAME[:PORT] | --url URL) [--ca-bundle FILE]\n\n"
      "Prints the ValidatingWebhookConfiguration for the policy in DIR: the requests windowguard governs,\n"
      "with matchConditions that skip the policy's trusted requesters and the UPDATEs it never governs.\n\n"
      "options");
  options.add_options()                                                                          //
      ("help,h", "show this help")                                                               //
      ("policies", po::value<std::string>(), "policy directory (required)")                      //
      ("service", po::value<std::string>(), "the webhook's Service, NS/NAME[:PORT] (port 443)")  //
      ("url", po::value<std::string>(), "the webhook's https:// URL, outside the cluster")       //
      ("ca-bundle", po::value<std::string>(), "PEM file of the CA that signed the serving certificate");
  return options;
}

// How the API server reaches the webhook, from the options; the problem is
// a usage error's message.
Result<admission::WebhookClient> webhook_client_of(const po::variables_map& values) {
  if (values.count("policies") == 0) {
    return Problem("--policies DIR is required");
  }
  if (values.count("service") + values.count("url") != 1) {
    return Problem("give exactly one of --service NS/NAME[:PORT] and --url URL");
  }
  admission::WebhookClient client;
  if (values.count("service") != 0) {
    client.service = parse_service(values["service"].as<std::string>());
    if (!client.service) {
      return Problem("--service must be NS/NAME or NS/NAME:PORT, such as windowguard/windowguard:443");
    }
  } else {
    client.url = values["url"].as<std::string>();
    if (!client.url.starts_with("https://")) {
      return Problem("--url must start with https://");
    }
  }
  if (values.count("ca-bundle") != 0) {
    const std::string path = values["ca-bundle"].as<std::string>();
    std::ifstream file(path, std::ios::binary);
    const std::string pem((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (!file || pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return Problem("--ca-bundle " + path + " is not a readable PEM certificate file");
    }
    client.ca_bundle_base64 = base64(pem);
  }
  return client;
}

}  // namespace

int run_webhook_config(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  const ParsedOptions parsed = parse_options("webhook-config", webhook_config_options(), arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const Result<admission::WebhookClient> client = webhook_client_of(parsed.values);
  if (!client) {
    return usage_error(err, "webhook-config", client.error().message);
  }
  const std::shared_ptr<const core::Policy> policy = load_policies_option(parsed.values, err);
  if (!policy) {
    return kExitUsage;
  }
  std::string rendered_by = "windowguard webhook-config";
  for (const std::string& argument : arguments) {
    rendered_by += " " + argument;
  }
  const admission::WebhookConfiguration configuration =
      admission::render_webhook_configuration(policy->settings(), *client, rendered_by);
  for (const std::string& pattern : configuration.left_to_the_webhook) {
    err << "windowguard webhook-config: trusted requester \"" << pattern
        << "\" has no matchCondition form (only names and prefix* globs do): the API server will call the webhook "
           "for it, and the webhook allows it\n";
  }
  out << configuration.yaml;
  return kExitOk;
}

}  // namespace windowguard::cli
