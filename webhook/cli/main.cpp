#include <iostream>
#include <string_view>

#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace {

constexpr std::string_view kUsage = R"(windowguard: deployment windows for Kubernetes

usage: windowguard <verb> [options]

verbs:
  serve             the admission webhook over HTTPS
                    (windowguard serve --help for its options)
  sidecar           publish valid versions of the policy ConfigMap to the webhook
                    (windowguard sidecar --help for its options)
  lint DIR          validate a policy directory (exit 0 valid, 2 invalid)
  windows           list active and upcoming window occurrences
  check             decide one request offline, as the webhook would
                    (exit 0 allowed, 1 denied, 2 error)
  webhook-config    print the ValidatingWebhookConfiguration for a policy
  exception request file a break-glass request (a WindowException) in your name
  image request     file a deployment approval request (an ImageApproval) in your name
  promote           file an ImageApproval for what an application runs in one
                    environment, for the next
  approve (exception | image)
                    add your approval to a request
  withdraw (exception | image)
                    remove your approval
  cancel (exception | image)
                    delete a request
  requests          list requests of both kinds with their approvals and state

The request verbs go through kubectl; installed as kubectl-windowguard,
windowguard is also a kubectl plugin (kubectl windowguard requests -A).

Every verb takes --help; --version prints the version.
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace windowguard::cli;
  set_program_name(argc > 0 ? argv[0] : "windowguard");
  const std::string usage = as_called(std::string(kUsage));
  if (argc < 2) {
    std::cerr << usage;
    return kExitUsage;
  }
  const std::string_view verb = argv[1];
  const Arguments arguments(argv + 2, argv + argc);
  if (verb == "serve") {
    return run_serve(arguments, std::cout, std::cerr);
  }
  if (verb == "sidecar") {
    return run_sidecar(arguments, std::cout, std::cerr);
  }
  if (verb == "lint") {
    return run_lint(arguments, std::cout, std::cerr);
  }
  if (verb == "check") {
    return run_check(arguments, std::cin, std::cout, std::cerr);
  }
  if (verb == "windows") {
    return run_windows(arguments, std::cout, std::cerr);
  }
  if (verb == "webhook-config") {
    return run_webhook_config(arguments, std::cout, std::cerr);
  }
  if (verb == "exception") {
    return run_exception(arguments, std::cout, std::cerr);
  }
  if (verb == "approve") {
    return run_approve(arguments, std::cout, std::cerr);
  }
  if (verb == "withdraw") {
    return run_withdraw(arguments, std::cout, std::cerr);
  }
  if (verb == "cancel") {
    return run_cancel(arguments, std::cout, std::cerr);
  }
  if (verb == "image") {
    return run_image(arguments, std::cout, std::cerr);
  }
  if (verb == "promote") {
    return run_promote(arguments, std::cout, std::cerr);
  }
  if (verb == "requests") {
    return run_requests(arguments, std::cout, std::cerr);
  }
  if (verb == "--version" || verb == "version") {
    std::cout << "windowguard " << WINDOWGUARD_VERSION << '\n';
    return kExitOk;
  }
  if (verb == "--help" || verb == "-h" || verb == "help") {
    std::cout << usage;
    return kExitOk;
  }
  std::cerr << program_name() << ": unknown verb \"" << verb << "\"\n\n" << usage;
  return kExitUsage;
}
