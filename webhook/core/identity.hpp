#pragma once
// Identities for the immutable things memos key on (a policy, a book of
// cluster objects): unlike an address, an identity is never reused by a
// later object, so what was remembered for one is never served for another.
#include <cstdint>

namespace windowguard::core {

// A number no other caller of the process has been given (never 0).
std::uint64_t next_identity();

}  // namespace windowguard::core
