#pragma once
// What the request verbs share: comma lists, JSON lists, kubectl's failures
// and the clock (cli/exception_commands.cpp, cli/image_commands.cpp).
#include <ostream>
#include <string>
#include <vector>

#include <boost/program_options/variables_map.hpp>

#include "cli/kubectl.hpp"
#include "core/result.hpp"
#include "core/schedule/time.hpp"
#include "json/json_writing.hpp"

namespace windowguard::cli {

using JsonWriter = json::Writer;
using json::write_list;
using json::write_text;

// "a,b,,c" -> {a, b, c}
std::vector<std::string> comma_list(const std::string& text);
// kubectl's failure, shown on `err`, as an exit code; kExitOk when it ran and succeeded.
int kubectl_failed(const Result<KubectlResult>& result, std::ostream& err);
core::Instant now();
// -n's value, else kubectl's namespace (cli/kubectl.hpp).
Result<std::string> namespace_option(const boost::program_options::variables_map& values);

}  // namespace windowguard::cli
