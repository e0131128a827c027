// manifests/monitoring/: the alert rules pass their promtool unit tests
// (tests/monitoring/alerts-test.yaml), and every metric the alerts and the
// Grafana dashboard query is one the webhook or the sidecar exposes, so that
// renaming a metric breaks this test rather than a dashboard.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <unistd.h>

#include "policy/policy_loader.hpp"
#include "server/metrics.hpp"
#include "sidecar/sidecar_state.hpp"
#include "support/build_paths.hpp"

namespace windowguard {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = build_paths::source_dir;
const fs::path kMonitoring = kSource / "manifests/monitoring";

std::string read_text(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// Every "expr" of the PrometheusRule.
std::vector<std::string> alert_expressions() {
  std::vector<std::string> expressions;
  const YAML::Node rule = YAML::LoadFile((kMonitoring / "prometheusrule.yaml").string());
  for (const YAML::Node& group : rule["spec"]["groups"]) {
    for (const YAML::Node& each : group["rules"]) {
      expressions.push_back(each["expr"].as<std::string>());
    }
  }
  return expressions;
}

// Every "expr" of the dashboard's panels' targets.
std::vector<std::string> dashboard_expressions() {
  rapidjson::Document dashboard;
  dashboard.Parse(read_text(kMonitoring / "grafana-dashboard.json").c_str());
  EXPECT_FALSE(dashboard.HasParseError());
  std::vector<std::string> expressions;
  for (const auto& panel : dashboard["panels"].GetArray()) {
    for (const auto& target : panel["targets"].GetArray()) {
      expressions.emplace_back(target["expr"].GetString());
    }
  }
  return expressions;
}

// The names /metrics serves, from the webhook's and the sidecar's own
// renderers: each "# TYPE" line's, and a histogram's series.
std::set<std::string> exposed_metric_names() {
  auto loaded = policy::load_policy({{"p.yaml", read_text(kSource / "policies/blackouts.yaml")},
                                     {"holidays.ics", read_text(kSource / "policies/holidays.ics")}});
  EXPECT_TRUE(loaded);
  const server::Metrics metrics;
  const sidecar::SidecarState sidecar;
  const cluster::ClusterViewStatus cluster;
  std::istringstream text(metrics.render(loaded ? loaded->policy.get() : nullptr, core::Instant{}, nullptr, &cluster) +
                          sidecar.render_metrics());
  std::set<std::string> names;
  std::string line;
  while (std::getline(text, line)) {
    std::istringstream words(line);
    std::string hash;
    std::string keyword;
    std::string name;
    std::string type;
    if (words >> hash >> keyword >> name >> type && hash == "#" && keyword == "TYPE") {
      names.insert(name);
      if (type == "histogram") {
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
          names.insert(name + suffix);
        }
      }
    }
  }
  return names;
}

TEST(Monitoring, EveryMetricTheAlertsAndTheDashboardQueryIsOneTheServersExpose) {
  const std::set<std::string> exposed = exposed_metric_names();
  ASSERT_GT(exposed.size(), 20U);
  const std::regex metric_name("windowguard_[a-z_]+");
  std::size_t checked = 0;
  for (const auto& [source, expressions] : {std::pair{"prometheusrule.yaml", alert_expressions()},
                                            std::pair{"grafana-dashboard.json", dashboard_expressions()}}) {
    EXPECT_FALSE(expressions.empty()) << source;
    for (const std::string& expression : expressions) {
      for (auto match = std::sregex_iterator(expression.begin(), expression.end(), metric_name);
           match != std::sregex_iterator(); ++match) {
        EXPECT_TRUE(exposed.count(match->str()) == 1)
            << source << " queries " << match->str() << ", which neither the webhook nor the sidecar exposes";
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 15U);
}

// The PodMonitor scrapes ports the webhook's pods have, by their labels, and
// the alerts name the PodDisruptionBudget there is.
TEST(Monitoring, ThePodMonitorAndTheAlertsNameWhatTheManifestsDeploy) {
  const YAML::Node deployment = YAML::LoadFile((kSource / "manifests/deployment.yaml").string());
  const YAML::Node pod = deployment["spec"]["template"];
  std::set<std::string> ports;
  for (const YAML::Node& container : pod["spec"]["containers"]) {
    for (const YAML::Node& port : container["ports"]) {
      ports.insert(port["name"].as<std::string>());
    }
  }
  const YAML::Node monitor = YAML::LoadFile((kMonitoring / "podmonitor.yaml").string());
  for (const YAML::Node& endpoint : monitor["spec"]["podMetricsEndpoints"]) {
    EXPECT_TRUE(ports.count(endpoint["port"].as<std::string>())) << endpoint["port"].as<std::string>();
  }
  for (const auto& label : monitor["spec"]["selector"]["matchLabels"]) {
    EXPECT_EQ(pod["metadata"]["labels"][label.first.as<std::string>()].as<std::string>(),
              label.second.as<std::string>());
  }
  const YAML::Node budget = YAML::LoadFile((kSource / "manifests/poddisruptionbudget.yaml").string());
  const std::string pdb = "poddisruptionbudget=\"" + budget["metadata"]["name"].as<std::string>() + "\"";
  const std::vector<std::string> expressions = alert_expressions();
  EXPECT_TRUE(std::any_of(expressions.begin(), expressions.end(),
                          [&](const std::string& expression) { return expression.find(pdb) != std::string::npos; }));
  EXPECT_EQ(monitor["metadata"]["namespace"].as<std::string>(), budget["metadata"]["namespace"].as<std::string>());
}

TEST(Monitoring, TheAlertRulesPassPromtoolsUnitTests) {
  if (std::system("promtool --version >/dev/null 2>&1") != 0) {
    if (std::getenv("WINDOWGUARD_REQUIRE_PROMTOOL") != nullptr) {
      FAIL() << "promtool is not installed, and WINDOWGUARD_REQUIRE_PROMTOOL is set (as CI sets it)";
    }
    GTEST_SKIP() << "promtool (Debian package prometheus) is not installed: the alert rules' unit tests do not run; "
                    "CI installs it";
  }
  const fs::path directory = fs::temp_directory_path() / ("windowguard-promtool-" + std::to_string(::getpid()));
  fs::create_directories(directory);
  YAML::Emitter rules;
  rules << YAML::LoadFile((kMonitoring / "prometheusrule.yaml").string())["spec"];
  std::ofstream(directory / "rules.yaml") << rules.c_str() << '\n';
  fs::copy_file(kSource / "tests/monitoring/alerts-test.yaml", directory / "alerts-test.yaml");
  const std::string output = (directory / "promtool.out").string();
  const auto run = [&](const std::string& arguments) {
    return std::system(("promtool " + arguments + " >" + output + " 2>&1").c_str());
  };
  EXPECT_EQ(run("check rules " + (directory / "rules.yaml").string()), 0) << read_text(output);
  EXPECT_EQ(run("test rules " + (directory / "alerts-test.yaml").string()), 0) << read_text(output);
  fs::remove_all(directory);
}

}  // namespace
}  // namespace windowguard
