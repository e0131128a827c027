// How serve finds its way to the API server: kubeconfig contexts with client
// certificates or tokens, the pod's service account, and what is refused.
#include "cluster/credentials.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>  // setenv, unsetenv

#include <filesystem>
#include <fstream>

namespace windowguard::cluster {
namespace {

namespace fs = std::filesystem;

class Credentials : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("windowguard-credentials-" + std::to_string(getpid()));
    fs::create_directories(directory_);
    write("ca.crt", "CA PEM");
    write("client.crt", "CERT PEM");
    write("client.key", "KEY PEM");
  }
  void TearDown() override { fs::remove_all(directory_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(directory_ / name) << text;
    return directory_ / name;
  }
  // A kubeconfig whose current context uses `user` (the lines under user:).
  fs::path kubeconfig(const std::string& server, const std::string& user) {
    return write("config",
                 "apiVersion: v1\nkind: Config\ncurrent-context: test\ncontexts:\n- name: other\n  "
                 "context: {cluster: nowhere, user: nobody}\n- name: test\n  context: {cluster: c, user: "
                 "u}\nclusters:\n- name: c\n  cluster:\n    server: " +
                     server + "\n    certificate-authority: ca.crt\nusers:\n- name: u\n  user:\n" + user);
  }
  fs::path directory_;
};

TEST_F(Credentials, AKubeconfigWithAClientCertificateRelativeToIt) {
  const auto read = kubeconfig_credentials(
      kubeconfig("https://127.0.0.1:6443", "    client-certificate: client.crt\n    client-key: client.key\n"));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(read->host, "127.0.0.1");
  EXPECT_EQ(read->port, "6443");
  EXPECT_EQ(read->ca_pem, "CA PEM");
  EXPECT_EQ(read->client_certificate_pem, "CERT PEM");
  EXPECT_EQ(read->client_key_pem, "KEY PEM");
  EXPECT_TRUE(read->token.empty());
}

TEST_F(Credentials, InlineDataATokenAndAnIpv6ServerWithoutPort) {
  // "Q0VSVA==" is "CERT".
  const auto inline_data = kubeconfig_credentials(
      kubeconfig("https://[::1]", "    client-certificate-data: Q0VSVA==\n    client-key-data: S0VZ\n"));
  ASSERT_TRUE(inline_data.ok()) << inline_data.error().message;
  EXPECT_EQ(inline_data->host, "::1");
  EXPECT_EQ(inline_data->port, "443");
  EXPECT_EQ(inline_data->client_certificate_pem, "CERT");
  EXPECT_EQ(inline_data->client_key_pem, "KEY");
  const auto token = kubeconfig_credentials(kubeconfig("https://api.example.com:443/", "    token: abc\n"));
  ASSERT_TRUE(token.ok()) << token.error().message;
  EXPECT_EQ(token->host, "api.example.com");
  EXPECT_EQ(current_token(*token).value(), "abc");
}

TEST_F(Credentials, ATokenFileIsReadAgainEachTime) {
  write("token", "first\n");
  const auto read = kubeconfig_credentials(kubeconfig("https://127.0.0.1:6443", "    tokenFile: token\n"));
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(current_token(*read).value(), "first");
  write("token", "rotated");
  EXPECT_EQ(current_token(*read).value(), "rotated");
}

TEST_F(Credentials, OtherAuthMethodsAndBrokenConfigsAreRefusedWithTheReason) {
  const auto exec =
      kubeconfig_credentials(kubeconfig("https://127.0.0.1:6443",
                                        "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      "
                                        "command: gke-gcloud-auth-plugin\n"));
  ASSERT_FALSE(exec.ok());
  EXPECT_NE(exec.error().message.find("user \"u\" authenticates with \"exec\", which windowguard serve does not "
                                      "support; give it a client certificate or a token"),
            std::string::npos)
      << exec.error().message;
  const auto plain_http = kubeconfig_credentials(kubeconfig("http://127.0.0.1:8080", "    token: abc\n"));
  EXPECT_EQ(plain_http.error().message, "the cluster's server \"http://127.0.0.1:8080\" is not an https:// URL");
  const auto nothing = kubeconfig_credentials(kubeconfig("https://127.0.0.1:6443", "    {}\n"));
  ASSERT_FALSE(nothing.ok());
  EXPECT_NE(nothing.error().message.find("has neither a client certificate nor a token"), std::string::npos)
      << nothing.error().message;
  const auto half = kubeconfig_credentials(kubeconfig("https://127.0.0.1:6443", "    client-key: client.key\n"));
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().message.find("needs both client-certificate and client-key"), std::string::npos);
  EXPECT_FALSE(kubeconfig_credentials(directory_ / "missing").ok());
  const auto garbled = kubeconfig_credentials(
      kubeconfig("https://127.0.0.1:6443", "    client-certificate-data: not*base64\n    client-key: client.key\n"));
  EXPECT_EQ(garbled.error().message, "client-certificate-data is not valid base64");
}

TEST_F(Credentials, InClusterReadsTheServiceAccountMountAndTheServiceEnvironment) {
  unsetenv("KUBERNETES_SERVICE_HOST");
  const auto outside = in_cluster_credentials(directory_);
  ASSERT_FALSE(outside.ok());
  EXPECT_NE(outside.error().message.find("not running in a pod"), std::string::npos);
  setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  write("token", "service-account-token\n");
  const auto inside = in_cluster_credentials(directory_);
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  ASSERT_TRUE(inside.ok()) << inside.error().message;
  EXPECT_EQ(inside->host, "10.96.0.1");
  EXPECT_EQ(inside->ca_pem, "CA PEM");
  EXPECT_EQ(current_token(*inside).value(), "service-account-token");
}

}  // namespace
}  // namespace windowguard::cluster
