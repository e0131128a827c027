#pragma once
// The test PKI of tests/support/make-test-certs.sh, made in a directory.
#include <cstdlib>
#include <filesystem>
#include <string>

#include "support/build_paths.hpp"

namespace windowguard::testing {

// ca.crt, server.crt/.key for 127.0.0.1, rotated.crt/.key, client.crt/.key,
// and stranger.crt/.key signed by other-ca.crt; false when the script failed.
inline bool make_test_certificates(const std::filesystem::path& directory) {
  const std::string command =
      std::string(build_paths::source_dir) + "/tests/support/make-test-certs.sh " + directory.string() + " >/dev/null";
  return std::system(command.c_str()) == 0;
}

}  // namespace windowguard::testing
