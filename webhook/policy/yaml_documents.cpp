#include "policy/yaml_documents.hpp"

#include <optional>
#include <sstream>

#include <yaml-cpp/eventhandler.h>

namespace windowguard::policy {
namespace {

// Only where each document starts matters to the first pass.
class DocumentStarts final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

  YAML::Mark last_start = YAML::Mark::null_mark();
};

void reject_documents_that_make_no_progress(const std::string& text) {
  std::istringstream input(text);
  YAML::Parser parser(input);
  DocumentStarts starts;
  std::optional<int> previous_start;
  while (parser.HandleNextDocument(starts)) {
    if (starts.last_start.pos == previous_start) {
      throw YAML::ParserException(starts.last_start, "unexpected token here");
    }
    previous_start = starts.last_start.pos;
  }
}

}  // namespace

std::vector<YAML::Node> load_yaml_documents(const std::string& text) {
  reject_documents_that_make_no_progress(text);
  return YAML::LoadAll(text);
}

std::string_view line_at(const std::string& text, int line) {
  std::size_t start = 0;
  for (int i = 0; i < line && start != std::string::npos; ++i) {
    start = text.find('\n', start);
    start = start == std::string::npos ? start : start + 1;
  }
  if (start == std::string::npos || start > text.size()) {
    return {};
  }
  const std::size_t end = text.find('\n', start);
  return std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start);
}

namespace {

bool indents_with_a_tab(std::string_view line) {
  const std::size_t content = line.find_first_not_of(" \t");
  return line.substr(0, content).find('\t') != std::string_view::npos;
}

}  // namespace

std::string describe_yaml_error(const std::string& text, const YAML::Exception& problem) {
  std::string message = "YAML syntax error: " + problem.msg;
  const int line = problem.mark.line;
  for (const int candidate : {line, line - 1}) {
    if (candidate >= 0 && indents_with_a_tab(line_at(text, candidate))) {
      return message + " (line " + std::to_string(candidate + 1) +
             " indents with a tab; YAML indents with spaces only)";
    }
  }
  if (problem.msg.starts_with("end of map not found") || problem.msg.starts_with("end of sequence not found") ||
      problem.msg.starts_with("illegal map value") || problem.msg.starts_with("illegal block entry")) {
    return message + " (is this line indented to line up with the entries above it?)";
  }
  return message;
}

}  // namespace windowguard::policy
