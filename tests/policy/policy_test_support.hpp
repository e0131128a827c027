#pragma once
// What the policy readers' tests share: the errors of a load as text, the
// policy header, and the table test of malformed files (its TEST_P is in
// policy_compiler_test.cpp; each reader's test instantiates it with the
// malformed files of its own part of the policy).
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "policy/policy_loader.hpp"

namespace windowguard::policy {

using LoadResult = Result<LoadedPolicy, Problems>;

inline std::vector<std::string> errors_of(const LoadResult& result) {
  std::vector<std::string> shown;
  if (result) {
    return shown;
  }
  for (const Problem& error : result.error()) {
    shown.push_back(error.to_string());
  }
  return shown;
}

constexpr const char* kHeader = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\n";
// Lines 1-5 of most malformed files: a document with one blackout window
// "a", so that a case's own text starts at line 6.
inline const std::string kWindowA = std::string(kHeader) + "windows:\n  - name: a\n    type: blackout\n";

// One malformed policy file ("p.yaml") and every error it must produce.
struct MalformedCase {
  const char* name;
  std::string yaml;
  std::vector<std::string> errors;
};

inline void PrintTo(const MalformedCase& row, std::ostream* out) { *out << row.name; }

class MalformedPolicy : public ::testing::TestWithParam<MalformedCase> {};

}  // namespace windowguard::policy
