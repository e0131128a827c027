#pragma once
// The query string of a request target ("environment=prod-*&days=7"), as
// browsers and curl write it: '&'-separated pairs, percent-encoded, '+' for
// a space.
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace windowguard::server {

// The value of `name` in `query`, decoded; an empty string for a name
// without '='; nullopt when the name is absent.  The first pair of that
// name counts.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

// The whole number `name` gives, from `low` to `high`; nullopt when absent;
// a problem that says the range when it is anything else.
Result<std::optional<int>> query_number(std::string_view query, std::string_view name, int low, int high);

}  // namespace windowguard::server
