// The page's one escaping function, and the helpers that shorten and
// percent-encode what the page writes.
#include "report/html_text.hpp"

#include <gtest/gtest.h>

namespace windowguard::report {
namespace {

std::string escaped(std::string_view text) {
  std::string out = "[";
  append_escaped(out, text);
  return out + "]";
}

TEST(HtmlText, EscapesTheFiveCharactersThatEndTextOrAttributesOrStartMarkup) {
  EXPECT_EQ(escaped(R"(<script>alert("x") & 'y'</script>)"),
            "[&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;]");
  EXPECT_EQ(escaped(R"(" onmouseover="alert(1))"), "[&quot; onmouseover=&quot;alert(1)]");
  EXPECT_EQ(escaped("]]><![CDATA["), "[]]&gt;&lt;![CDATA[]");
  EXPECT_EQ(escaped("plain text, é and ✓"), "[plain text, é and ✓]");
  EXPECT_EQ(escaped(""), "[]");
  EXPECT_EQ(escaped("&amp;"), "[&amp;amp;]") << "escaping is not undone for text that looks escaped";
}

TEST(HtmlText, AShortenedTextNeverCutsACharacterInTwo) {
  EXPECT_EQ(utf8_prefix("festive-season", 7), "festive");
  EXPECT_EQ(utf8_prefix("short", 10), "short");
  EXPECT_EQ(utf8_prefix("ééé", 2), "éé");
  EXPECT_EQ(utf8_prefix("✓✓", 1), "✓");
  EXPECT_EQ(utf8_prefix("abc", 0), "");
}

TEST(HtmlText, AQueryValueKeepsOnlyUnreservedCharacters) {
  std::string out;
  append_query_value(out, "prod-*/a b&c=d?é~_.");
  EXPECT_EQ(out, "prod-%2A%2Fa%20b%26c%3Dd%3F%C3%A9~_.");
}

}  // namespace
}  // namespace windowguard::report
