#pragma once
// The CLI's way into the cluster: the real kubectl, so that every kubeconfig,
// context and auth plugin kubectl accepts works here too.  $WINDOWGUARD_KUBECTL
// names another program (tests use it); otherwise "kubectl" on PATH.
#include <string>
#include <vector>

#include "core/result.hpp"

namespace windowguard::cli {

struct KubectlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs kubectl with `arguments`, `input` on its standard input; a kubectl
// that cannot be started is the problem.
Result<KubectlResult> run_kubectl(const std::vector<std::string>& arguments, const std::string& input = "");

// Who kubectl acts as (`kubectl auth whoami -o json`).
struct Caller {
  std::string username;
  std::vector<std::string> groups;
};
Result<Caller> who_am_i();

// The namespace kubectl works in when given no -n: its current context's,
// else "default".
Result<std::string> kubectl_namespace();

}  // namespace windowguard::cli
