#pragma once
// Text from the policy and the cluster (window names and messages, exception
// reasons, user names, images) written into the page.  One escaping function
// serves HTML text, quoted attribute values and the text of inline SVG, which
// the HTML parser reads by the same rules: it escapes the five characters
// that can end a text or an attribute or start markup.
#include <cstddef>
#include <string>
#include <string_view>

namespace windowguard::report {

// Appends `text` with &, <, >, " and ' written as character references.
void append_escaped(std::string& out, std::string_view text);

// Appends `value` percent-encoded for a URL's query: every byte but the
// unreserved characters of RFC 3986 (letters, digits, "-._~").
void append_query_value(std::string& out, std::string_view value);

// The first `characters` UTF-8 characters of `text` (all of it when it is
// shorter): never cuts a character in two.
std::string_view utf8_prefix(std::string_view text, std::size_t characters);

}  // namespace windowguard::report
