// Untrusted bytes as a container image reference.  A reference that parses
// must read back as itself from its normalized spelling.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/images/image_reference.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto image = core::parse_image_reference(text);
  if (image) {
    auto again = core::parse_image_reference(image->normalized());
    if (!again || *again != *image) {
      std::abort();
    }
  }
  return 0;
}
