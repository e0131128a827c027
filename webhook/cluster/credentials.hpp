#pragma once
// How `serve` reaches the API server: in-cluster (the pod's service account)
// or from a kubeconfig with a client certificate or a token.  Other kubeconfig
// auth methods (exec plugins, auth providers) are refused with a clear
// error: the webhook runs unattended, with credentials the cluster gives it.
#include <filesystem>
#include <string>

#include "core/result.hpp"

namespace windowguard::cluster {

struct Credentials {
  std::string host;  // a name or an IP address
  std::string port = "443";
  std::string ca_pem;                  // empty: the system's trust store
  std::string client_certificate_pem;  // with client_key_pem, or neither
  std::string client_key_pem;
  std::string token;                 // a fixed bearer token, or
  std::filesystem::path token_file;  // one read again for every connection (it rotates)
};

// KUBERNETES_SERVICE_HOST/PORT and the service account's token and CA under
// `account_directory` (/var/run/secrets/kubernetes.io/serviceaccount).
Result<Credentials> in_cluster_credentials(const std::filesystem::path& account_directory);

// The current context of a kubeconfig file.
Result<Credentials> kubeconfig_credentials(const std::filesystem::path& file);

// The bearer token to send now: the token file's content, or the fixed token.
Result<std::string> current_token(const Credentials& credentials);

}  // namespace windowguard::cluster
