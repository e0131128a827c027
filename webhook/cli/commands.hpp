#pragma once
// The verbs of the windowguard binary.  Each takes its arguments (without the
// program and verb names) and returns the process exit code.
#include <iosfwd>
#include <string>
#include <vector>

namespace windowguard::cli {

using Arguments = std::vector<std::string>;

// Exit codes shared by every verb.
inline constexpr int kExitOk = 0;
inline constexpr int kExitDenied = 1;
inline constexpr int kExitUsage = 2;

int run_lint(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_windows(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_serve(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_webhook_config(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_sidecar(const Arguments& arguments, std::ostream& out, std::ostream& err);
// Break-glass through kubectl (docs/exceptions.md): `exception request`,
// `approve (exception | image)`, `withdraw ...`, `cancel ...`, `requests`.
int run_exception(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_approve(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_withdraw(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_cancel(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_requests(const Arguments& arguments, std::ostream& out, std::ostream& err);
// Deployment approvals through kubectl (docs/approvals.md): `image request`
// and `promote`; approve, withdraw, cancel and requests serve both kinds.
int run_image(const Arguments& arguments, std::ostream& out, std::ostream& err);
int run_promote(const Arguments& arguments, std::ostream& out, std::ostream& err);
// `in` is read for "--review -" / "--manifest -".
int run_check(const Arguments& arguments, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace windowguard::cli
