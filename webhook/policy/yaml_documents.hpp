#pragma once
#include <string>
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

}  // namespace windowguard::policy
