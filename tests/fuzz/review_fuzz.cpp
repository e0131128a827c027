// Untrusted bytes as an AdmissionReview body: decode, then (when it decodes)
// classify, decide and encode, as the webhook would.
#include <cstdint>
#include <string>

#include "admission/admission_decision.hpp"
#include "admission/response_encoder.hpp"
#include "admission/review_decoder.hpp"
#include "policy/policy_directory.hpp"
#include "support/build_paths.hpp"

namespace {
const windowguard::core::Policy& example_policy() {
  static const auto loaded =
      windowguard::policy::load_policy_directory(std::string(windowguard::build_paths::source_dir) + "/policies");
  return *loaded.value().policy;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  auto decoded = admission::decode_review(std::string(reinterpret_cast<const char*>(data), size));
  if (decoded) {
    const admission::DecodedReview* review = &*decoded;
    const auto at = core::Instant{core::seconds{1'795'000'000}};
    const admission::AdmissionDecision decision = admission::evaluate_request(example_policy(), review->request(), at);
    const std::string response = admission::encode_response(review->request().uid, decision);
    if (response.empty()) {
      __builtin_trap();
    }
  }
  return 0;
}
