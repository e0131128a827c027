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

}  // namespace windowguard::policy
