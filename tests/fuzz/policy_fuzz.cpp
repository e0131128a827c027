// Untrusted bytes as a policy file: the loader must report errors, never crash,
// and a policy it accepts must be usable.
#include <cstdint>
#include <string>

#include "core/upcoming.hpp"
#include "policy/policy_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  const policy::LoadResult result =
      policy::load_policy({{"fuzz.yaml", std::string(reinterpret_cast<const char*>(data), size)}});
  if (result.policy) {
    core::ListingRequest request;
    request.at = core::Instant{core::seconds{1'795'000'000}};
    request.ahead = core::days{30};
    (void)core::list_occurrences(*result.policy, request);
  } else if (result.errors.empty()) {
    __builtin_trap();  // rejected without a reason
  }
  return 0;
}
