#include <algorithm>
#include <cctype>
#include <fstream>
#include <ostream>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "cli/listen_address.hpp"
#include "cli/options.hpp"
#include "logging/log.hpp"
#include "policy/value_forms.hpp"
#include "server/server.hpp"

namespace windowguard::cli {
namespace {

constexpr const char* kEnvironmentPrefix = "WINDOWGUARD_";

// "WINDOWGUARD_TLS_CERT" -> "tls-cert"; "" for a variable that names no
// option (WINDOWGUARD_WERROR belongs to the build, not to serve).
std::string option_for_variable(const po::options_description& options, const std::string& variable) {
  if (variable.rfind(kEnvironmentPrefix, 0) != 0) {
    return {};
  }
  std::string option = variable.substr(std::string(kEnvironmentPrefix).size());
  for (char& c : option) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return options.find_nothrow(option, false) != nullptr && option != "help" ? option : std::string{};
}

po::options_description serve_options() {
  const server::ServerConfig defaults;
  po::options_description options(
      "usage: windowguard serve --tls-cert FILE --tls-key FILE --policies DIR [options]\n\n"
      "The validating admission webhook over HTTPS. Every option can also be set by an environment\n"
      "variable: WINDOWGUARD_ and the option's name in capitals with '_' for '-' (WINDOWGUARD_TLS_CERT).\n"
      "Durations are whole seconds with units h, m, s: 10s, 1m30s.\n\noptions");
  options.add_options()                                                                                      //
      ("help,h", "show this help")                                                                           //
      ("listen", po::value<std::string>()->default_value("0.0.0.0:8443"), "HOST:PORT to listen on")          //
      ("tls-cert", po::value<std::string>(), "PEM certificate chain (required; reloaded when it changes)")   //
      ("tls-key", po::value<std::string>(), "PEM private key (required; reloaded when it changes)")          //
      ("client-ca", po::value<std::string>(), "PEM CA: require client certificates it signed (mutual TLS)")  //
      ("policies", po::value<std::string>(), "policy directory (required; reloaded when it changes)")        //
      ("threads", po::value<unsigned>()->default_value(0), "I/O threads; 0 = one per available core")        //
      ("max-body-bytes", po::value<std::size_t>()->default_value(defaults.max_body_bytes),
       "largest request body; larger ones get 413")  //
      ("max-header-bytes", po::value<std::size_t>()->default_value(defaults.max_header_bytes),
       "largest request header; larger ones get 431")                                                  //
      ("handshake-timeout", po::value<std::string>()->default_value("10s"), "TLS handshake deadline")  //
      ("header-timeout", po::value<std::string>()->default_value("10s"),
       "deadline for a request's header once its first bytes arrived")  //
      ("body-timeout", po::value<std::string>()->default_value("10s"),
       "deadline for a request's body, and for writing the response")  //
      ("idle-timeout", po::value<std::string>()->default_value("90s"),
       "how long a kept-alive connection may wait for its next request")  //
      ("max-connections", po::value<std::size_t>()->default_value(defaults.max_connections),
       "open connections at most; more are closed at once")  //
      ("reload-interval", po::value<std::string>()->default_value("2s"),
       "how often the policy directory and TLS files are checked for changes")  //
      ("shutdown-grace", po::value<std::string>()->default_value("20s"),
       "on SIGTERM/SIGINT, how long in-flight requests may take")                                          //
      ("log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn or error")  //
      ("in-cluster", "read WindowExceptions from the cluster with the pod's service account")              //
      ("kubeconfig", po::value<std::string>(),
       "read WindowExceptions from the cluster of this kubeconfig's current context (client certificate or token)")  //
      ("service-account-directory", po::value<std::string>()->default_value(defaults.service_account_directory),
       "with --in-cluster: where the token, ca.crt and namespace are mounted")  //
      ("ui-listen", po::value<std::string>(),
       "HOST:PORT of a second listener (TLS, same certificate) that serves the page and the feed only")  //
      ("ui-token-file", po::value<std::string>(),
       "file holding a secret (16+ of A-Z a-z 0-9 - . _ ~): the page and the feed answer only at /SECRET/ui and "
       "/SECRET/calendar.ics")  //
      ("ui-people", "show requesters, approvers and reasons on the page");
  return options;
}

// The durations of the command line, each more than 0s; the problem is a
// usage error's message.
std::optional<std::string> read_durations(const po::variables_map& values, server::ServerConfig& config) {
  const std::pair<const char*, std::chrono::milliseconds*> durations[] = {
      {"handshake-timeout", &config.handshake_timeout}, {"header-timeout", &config.header_timeout},
      {"body-timeout", &config.body_timeout},           {"idle-timeout", &config.idle_timeout},
      {"reload-interval", &config.reload_interval},     {"shutdown-grace", &config.shutdown_grace}};
  for (const auto& [name, into] : durations) {
    const auto parsed = policy::parse_go_duration(values[name].as<std::string>());
    if (!parsed) {
      return std::string("--") + name + ": " + parsed.error().message;
    }
    *into = *parsed;
    if (*into <= std::chrono::milliseconds{0}) {
      return std::string("--") + name + " must be more than 0s";
    }
  }
  return std::nullopt;
}

// A secret fit to stand in a URL's path as it is.
std::optional<std::string> read_ui_token(const std::string& file) {
  std::ifstream in(file);
  std::string token;
  if (!in || !std::getline(in, token)) {
    return std::nullopt;
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back())) != 0) {
    token.pop_back();
  }
  const bool url_safe = std::all_of(token.begin(), token.end(), [](char character) {
    return std::isalnum(static_cast<unsigned char>(character)) != 0 || character == '-' || character == '.' ||
           character == '_' || character == '~';
  });
  return url_safe && token.size() >= 16 ? std::optional(token) : std::nullopt;
}

// The page's and the feed's options; the problem is a usage error's message.
std::optional<std::string> read_page_options(const po::variables_map& values, server::ServerConfig& config) {
  if (values.count("ui-listen") != 0) {
    const std::optional<ListenAddress> listen = parse_listen_address(values["ui-listen"].as<std::string>());
    if (!listen || listen->port == 0) {
      return "--ui-listen must be HOST:PORT with a port, e.g. 0.0.0.0:8444";
    }
    config.ui_listen_host = listen->host;
    config.ui_listen_port = listen->port;
  }
  if (values.count("ui-token-file") != 0) {
    const std::string file = values["ui-token-file"].as<std::string>();
    const std::optional<std::string> token = read_ui_token(file);
    if (!token) {
      return "--ui-token-file " + file +
             ": cannot be read, or its first line is not a secret of at least 16 of A-Z a-z 0-9 - . _ ~";
    }
    config.ui_token = *token;
  }
  config.ui_people = values.count("ui-people") != 0;
  return std::nullopt;
}

// The server's configuration from the options; the problem is a usage
// error's message.
Result<server::ServerConfig> server_config_of(const po::variables_map& values) {
  server::ServerConfig config;
  const std::optional<ListenAddress> listen = parse_listen_address(values["listen"].as<std::string>());
  if (!listen) {
    return Problem("--listen must be HOST:PORT, e.g. 127.0.0.1:8443");
  }
  config.listen_host = listen->host;
  config.listen_port = listen->port;
  for (const char* required : {"tls-cert", "tls-key", "policies"}) {
    if (values.count(required) == 0) {
      return Problem(std::string("--") + required + " is required");
    }
  }
  config.tls_cert = values["tls-cert"].as<std::string>();
  config.tls_key = values["tls-key"].as<std::string>();
  config.client_ca = values.count("client-ca") != 0 ? values["client-ca"].as<std::string>() : "";
  config.policies = values["policies"].as<std::string>();
  config.threads = values["threads"].as<unsigned>();
  config.max_body_bytes = values["max-body-bytes"].as<std::size_t>();
  config.max_header_bytes = values["max-header-bytes"].as<std::size_t>();
  config.max_connections = values["max-connections"].as<std::size_t>();
  if (const std::optional<std::string> problem = read_durations(values, config)) {
    return Problem(*problem);
  }
  if (config.max_body_bytes == 0 || config.max_connections == 0) {
    return Problem("--max-body-bytes and --max-connections must be more than 0");
  }
  config.in_cluster = values.count("in-cluster") != 0;
  config.kubeconfig = values.count("kubeconfig") != 0 ? values["kubeconfig"].as<std::string>() : "";
  config.service_account_directory = values["service-account-directory"].as<std::string>();
  if (config.in_cluster && !config.kubeconfig.empty()) {
    return Problem("--in-cluster and --kubeconfig exclude each other");
  }
  if (const std::optional<std::string> problem = read_page_options(values, config)) {
    return Problem(*problem);
  }
  config.log_level = values["log-level"].as<std::string>();
  return config;
}

}  // namespace

int run_serve(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  const po::options_description options = serve_options();
  const ParsedOptions parsed = parse_options("serve", options, arguments, out, err, [&](const std::string& variable) {
    return option_for_variable(options, variable);
  });
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const Result<server::ServerConfig> config = server_config_of(parsed.values);
  if (!config) {
    return usage_error(err, "serve", config.error().message);
  }
  if (!logging::start_logging(config->log_level)) {
    return usage_error(err, "serve", "--log-level must be trace, debug, info, warn or error");
  }
  const int code = server::serve(*config);
  logging::stop_logging();
  return code;
}

}  // namespace windowguard::cli
