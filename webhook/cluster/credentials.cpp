#include "cluster/credentials.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <boost/beast/core/detail/base64.hpp>

namespace windowguard::cluster {
namespace {

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return Problem("cannot read " + path.string());
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

Result<std::string> base64_decoded(const std::string& text, const std::string& what) {
  namespace base64 = boost::beast::detail::base64;
  std::string decoded(base64::decoded_size(text.size()), '\0');
  const auto [written, read] = base64::decode(decoded.data(), text.data(), text.size());
  const std::size_t padding = text.size() - std::min(text.size(), text.find_last_not_of('=') + 1);
  if (read + padding != text.size()) {
    return Problem(what + " is not valid base64");
  }
  decoded.resize(written);
  return decoded;
}

// "https://host:port" -> host and port; IPv6 hosts in brackets.
Result<Credentials> with_server(Credentials credentials, const std::string& server) {
  constexpr std::string_view kScheme = "https://";
  if (server.rfind(kScheme, 0) != 0) {
    return Problem("the cluster's server \"" + server + "\" is not an https:// URL");
  }
  std::string authority = server.substr(kScheme.size());
  authority = authority.substr(0, authority.find('/'));
  const std::size_t bracket = authority.rfind(']');
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    credentials.port = authority.substr(colon + 1);
    authority = authority.substr(0, colon);
  }
  if (authority.size() > 1 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) {
    return Problem("the cluster's server \"" + server + "\" names no host");
  }
  credentials.host = authority;
  return credentials;
}

// A PEM given inline (*-data, base64) or as a file relative to the kubeconfig.
Result<std::string> pem_of(const YAML::Node& owner, const std::string& field, const std::filesystem::path& base) {
  if (const YAML::Node data = owner[field + "-data"]) {
    return base64_decoded(data.as<std::string>(), field + "-data");
  }
  if (const YAML::Node file = owner[field]) {
    std::filesystem::path path = file.as<std::string>();
    return read_file(path.is_absolute() ? path : base / path);
  }
  return std::string();
}

const YAML::Node named(const YAML::Node& list, const std::string& name, const std::string& entry) {
  for (const YAML::Node& item : list) {
    if (item["name"] && item["name"].as<std::string>() == name) {
      return item[entry];
    }
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

Result<Credentials> read_kubeconfig(const YAML::Node& config, const std::filesystem::path& file) {
  const std::filesystem::path base = file.parent_path();
  if (!config["current-context"]) {
    return Problem(file.string() + " has no current-context");
  }
  const std::string context_name = config["current-context"].as<std::string>();
  const YAML::Node context = named(config["contexts"], context_name, "context");
  if (!context) {
    return Problem(file.string() + ": context \"" + context_name + "\" is not defined");
  }
  const std::string cluster_name = context["cluster"] ? context["cluster"].as<std::string>() : "";
  const std::string user_name = context["user"] ? context["user"].as<std::string>() : "";
  const YAML::Node cluster = named(config["clusters"], cluster_name, "cluster");
  if (!cluster || !cluster["server"]) {
    return Problem(file.string() + ": cluster \"" + cluster_name + "\" is not defined or has no server");
  }
  auto credentials = with_server(Credentials{}, cluster["server"].as<std::string>());
  if (!credentials) {
    return credentials;
  }
  auto ca = pem_of(cluster, "certificate-authority", base);
  if (!ca) {
    return ca.error();
  }
  credentials->ca_pem = std::move(ca).value();
  const YAML::Node user = named(config["users"], user_name, "user");
  if (!user) {
    return Problem(file.string() + ": user \"" + user_name + "\" is not defined");
  }
  for (const char* unsupported : {"exec", "auth-provider", "username", "password"}) {
    if (user[unsupported]) {
      return Problem(file.string() + ": user \"" + user_name + "\" authenticates with \"" + unsupported +
                     "\", which windowguard serve does not support; give it a client certificate or a token "
                     "(a service account's), or run it in the cluster");
    }
  }
  auto certificate = pem_of(user, "client-certificate", base);
  auto key = pem_of(user, "client-key", base);
  if (!certificate || !key) {
    return certificate ? key.error() : certificate.error();
  }
  credentials->client_certificate_pem = std::move(certificate).value();
  credentials->client_key_pem = std::move(key).value();
  if (credentials->client_certificate_pem.empty() != credentials->client_key_pem.empty()) {
    return Problem(file.string() + ": user \"" + user_name + "\" needs both client-certificate and client-key");
  }
  if (const YAML::Node token = user["token"]) {
    credentials->token = token.as<std::string>();
  } else if (const YAML::Node token_file = user["tokenFile"]) {
    const std::filesystem::path path = token_file.as<std::string>();
    credentials->token_file = path.is_absolute() ? path : base / path;
  }
  if (credentials->client_certificate_pem.empty() && credentials->token.empty() && credentials->token_file.empty()) {
    return Problem(file.string() + ": user \"" + user_name + "\" has neither a client certificate nor a token");
  }
  return credentials;
}

}  // namespace

Result<Credentials> in_cluster_credentials(const std::filesystem::path& account_directory) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    return Problem(
        "KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set: not running in a pod; give "
        "--kubeconfig FILE");
  }
  Credentials credentials;
  credentials.host = host;
  credentials.port = port;
  auto ca = read_file(account_directory / "ca.crt");
  if (!ca) {
    return Problem(ca.error().message + ": the pod has no service account token mounted");
  }
  credentials.ca_pem = std::move(ca).value();
  credentials.token_file = account_directory / "token";
  auto token = current_token(credentials);
  if (!token) {
    return token.error();
  }
  return credentials;
}

Result<Credentials> kubeconfig_credentials(const std::filesystem::path& file) {
  auto text = read_file(file);
  if (!text) {
    return text.error();
  }
  try {
    return read_kubeconfig(YAML::Load(text.value()), file);
  } catch (const YAML::Exception& problem) {
    return Problem(file.string() + " is not a kubeconfig: " + problem.what());
  }
}

Result<std::string> current_token(const Credentials& credentials) {
  if (credentials.token_file.empty()) {
    return credentials.token;
  }
  auto token = read_file(credentials.token_file);
  if (!token) {
    return token.error();
  }
  return trimmed(std::move(token).value());
}

}  // namespace windowguard::cluster
