#include <ostream>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "cli/listen_address.hpp"
#include "cli/options.hpp"
#include "logging/log.hpp"
#include "policy/value_forms.hpp"
#include "sidecar/sidecar.hpp"

namespace windowguard::cli {

int run_sidecar(const Arguments& arguments, std::ostream& out, std::ostream& err) {
  po::options_description options(
      "usage: windowguard sidecar --source DIR --publish DIR [options]\n\n"
      "Watches the policy ConfigMap mounted at --source and publishes every version that passes\n"
      "`windowguard lint` to --publish, atomically; invalid versions are logged and never published.\n\noptions");
  options.add_options()                                                                          //
      ("help,h", "show this help")                                                               //
      ("source", po::value<std::string>(), "the mounted policy ConfigMap (required)")            //
      ("publish", po::value<std::string>(), "the directory shared with the webhook (required)")  //
      ("listen", po::value<std::string>()->default_value("0.0.0.0:8081"),
       "HOST:PORT for /healthz, /readyz, /metrics (plain HTTP)")                                      //
      ("interval", po::value<std::string>()->default_value("2s"), "how often the source is checked")  //
      ("log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn or error");
  const ParsedOptions parsed = parse_options("sidecar", options, arguments, out, err);
  if (parsed.exit_code) {
    return *parsed.exit_code;
  }
  const po::variables_map& values = parsed.values;
  const auto usage_error = [&](const std::string& message) { return cli::usage_error(err, "sidecar", message); };
  if (values.count("source") == 0 || values.count("publish") == 0) {
    return usage_error("--source DIR and --publish DIR are required");
  }
  sidecar::SidecarConfig config;
  config.source = values["source"].as<std::string>();
  config.publish = values["publish"].as<std::string>();
  const std::optional<ListenAddress> listen = parse_listen_address(values["listen"].as<std::string>());
  if (!listen) {
    return usage_error("--listen must be HOST:PORT, e.g. 0.0.0.0:8081");
  }
  config.listen_host = listen->host;
  config.listen_port = listen->port;
  const auto interval = policy::parse_go_duration(values["interval"].as<std::string>());
  if (!interval) {
    return usage_error("--interval: " + interval.error().message);
  }
  config.interval = *interval;
  if (config.interval <= std::chrono::milliseconds{0}) {
    return usage_error("--interval must be more than 0s");
  }
  if (!logging::start_logging(values["log-level"].as<std::string>())) {
    return usage_error("--log-level must be trace, debug, info, warn or error");
  }
  const int code = sidecar::run_sidecar(config);
  logging::stop_logging();
  return code;
}

}  // namespace windowguard::cli
