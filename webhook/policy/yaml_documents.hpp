#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace windowguard::policy {

// YAML::LoadAll, made safe for untrusted text.  yaml-cpp 0.7 (Debian bookworm)
// loops forever, allocating, on a token its document parser cannot consume (a
// stray "," is enough: yaml-cpp issue #1040, fixed upstream by PR #1319).  A
// first pass over the parser's events notices a document that starts where the
// previous one started and reports it as a syntax error there instead.
// Throws YAML::Exception (with the mark) like YAML::LoadAll.
std::vector<YAML::Node> load_yaml_documents(const std::string& text);

// The line of `text` numbered `line` (from 0, as a YAML::Mark counts),
// without its end; empty past the last line.
std::string_view line_at(const std::string& text, int line);

// yaml-cpp's message for a syntax error in `text`, with its likely cause
// where yaml-cpp names only the symptom ("end of map not found"): a tab in
// the indentation of the line, or of the line before it, or an indentation
// that does not line up.
std::string describe_yaml_error(const std::string& text, const YAML::Exception& problem);

}  // namespace windowguard::policy
