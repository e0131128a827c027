#pragma once
// Reads committed fixtures: tests/fixtures/apiserver-1.24 (captured from a real
// API server) and tests/fixtures/generated (kubectl-made objects).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "support/build_paths.hpp"

namespace windowguard::testing {

inline std::string fixtures_dir() { return std::string(build_paths::source_dir) + "/tests/fixtures"; }

inline std::string read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot read " + path);
  }
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

inline std::string fixture(const std::string& relative) { return read_text(fixtures_dir() + "/" + relative); }

// Every occurrence of `from` in `text` replaced by `to`.
inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

}  // namespace windowguard::testing
