#pragma once
// What the request verbs share: comma lists, JSON lists, kubectl's failures
// and the clock (cli/exception_commands.cpp, cli/image_commands.cpp).
#include <ostream>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/program_options/variables_map.hpp>

#include "cli/kubectl.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace windowguard::cli {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// "a,b,,c" -> {a, b, c}
std::vector<std::string> comma_list(const std::string& text);
void write_list(JsonWriter& json, const char* name, const std::vector<std::string>& items);
void write_text(JsonWriter& json, const char* name, const std::string& value);
// kubectl's failure, shown on `err`, as an exit code; kExitOk when it ran and succeeded.
int kubectl_failed(const Result<KubectlResult>& result, std::ostream& err);
core::Instant now();
// -n's value, else kubectl's namespace (cli/kubectl.hpp).
Result<std::string> namespace_option(const boost::program_options::variables_map& values);

}  // namespace windowguard::cli
