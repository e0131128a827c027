// The page as people see it: `serve` answers /ui, and headless Chromium
// loads it with scripts off, at a desktop's and a phone's width, through the
// DevTools protocol.  Skipped where Chromium is not installed, unless
// WINDOWGUARD_REQUIRE_BROWSER=1 (CI) makes that a failure.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "support/build_paths.hpp"
#include "support/headless_chromium.hpp"
#include "support/server_process.hpp"
#include "support/test_certificates.hpp"

namespace windowguard::testing {
namespace {

// Each would run, add an attribute or end a CDATA section if written raw.
constexpr const char* kHostile = R"(<script>alert(1)</script>"onmouseover=alert(2) ]]>)";

class PageInBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!HeadlessChromium::installed()) {
      return;
    }
    directory_ = std::filesystem::temp_directory_path() / ("windowguard-browser-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_ / "policies");
    ASSERT_TRUE(make_test_certificates(directory_));
    std::filesystem::copy(std::string(build_paths::source_dir) + "/policies", directory_ / "policies");
    // Window names are checked; a binding's applications and an exception's
    // reason are free text, and the page shows them.
    std::ofstream(directory_ / "policies" / "zz-hostile.yaml")
        << "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n  - name: hostile-window\n"
        << "    type: blackout\n    durations:\n      - daily: {from: \"09:00\", to: \"17:00\"}\n"
        << "bindings:\n  - windows: [hostile-window]\n    environments: [hostile]\n"
        << "    applications: ['" << kHostile << "']\nexceptions:\n  - name: hostile-exception\n    reason: '"
        << kHostile << "'\n    windows: [hostile-window]\n    environments: [hostile]\n    users: [alice]\n"
        << "    from: 2020-01-01T00:00:00Z\n    until: 2099-01-01T00:00:00Z\n";
    server_ = new ServerProcess(
        "serve", {"--tls-cert", (directory_ / "server.crt").string(), "--tls-key", (directory_ / "server.key").string(),
                  "--policies", (directory_ / "policies").string(), "--threads", "1", "--ui-people"});
    ASSERT_TRUE(server_->running());
    browser_ = new HeadlessChromium((directory_ / "server.crt").string());
  }

  static void TearDownTestSuite() {
    delete browser_;
    delete server_;
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  void SetUp() override {
    if (!HeadlessChromium::installed()) {
      const char* required = std::getenv("WINDOWGUARD_REQUIRE_BROWSER");
      if (required != nullptr && std::string(required) == "1") {
        FAIL() << "WINDOWGUARD_REQUIRE_BROWSER=1 but Chromium is not installed (apt-get install chromium)";
      }
      GTEST_SKIP() << "Chromium is not installed (apt-get install chromium, or scripts/test.sh): the browser "
                      "tests of the page are skipped";
    }
  }

  static std::string origin() { return "https://127.0.0.1:" + std::to_string(server_->port()); }

  static PageVisit visit(const std::string& path, int width) { return browser_->visit(origin() + path, width, 900); }

  static inline std::filesystem::path directory_;
  static inline ServerProcess* server_ = nullptr;
  static inline HeadlessChromium* browser_ = nullptr;
};

// A PNG of a page with content is far larger than one of an empty page of
// the same size, which compresses to almost nothing.
void expect_not_blank(const PageVisit& page, const PageVisit& blank) {
  ASSERT_TRUE(page.screenshot_png.starts_with("\x89PNG\r\n\x1a\n"));
  EXPECT_GT(page.screenshot_png.size(), 4 * blank.screenshot_png.size())
      << page.screenshot_png.size() << " bytes against " << blank.screenshot_png.size() << " for an empty page";
}

TEST_F(PageInBrowser, ShowsTheWindowsRowsAndTablesWithScriptsOffAtADesktopsWidth) {
  const PageVisit page = visit("/ui", 1280);
  EXPECT_NE(page.dom.find("<h1>Deployment windows</h1>"), std::string::npos);
  for (const char* text : {">prod-* · every app</text>", ">batch · every app</text>", "weekend-freeze",
                           "festive-season", "nightly-changes", "Exceptions pending and in force"}) {
    EXPECT_NE(page.dom.find(text), std::string::npos) << text;
  }
  expect_not_blank(page, visit("/healthz", 1280));
}

TEST_F(PageInBrowser, IsReadableAtAPhonesWidth) {
  const PageVisit page = visit("/ui", 390);
  EXPECT_NE(page.dom.find("weekend-freeze"), std::string::npos);
  expect_not_blank(page, visit("/healthz", 390));
}

TEST_F(PageInBrowser, RequestsNothingButItself) {
  for (const int width : {1280, 390}) {
    const PageVisit page = visit("/ui?days=30", width);
    ASSERT_FALSE(page.requested.empty());
    EXPECT_EQ(page.requested.front(), origin() + "/ui?days=30");
    for (const std::string& url : page.requested) {
      EXPECT_TRUE(url.starts_with(origin() + "/") || url.starts_with("data:")) << url;
    }
  }
}

TEST_F(PageInBrowser, TheFiltersKeepTheRowsTheyMatch) {
  const PageVisit page = visit("/ui?environment=batch&days=7", 1280);
  EXPECT_NE(page.dom.find(">batch · every app</text>"), std::string::npos) << page.dom.substr(0, 2000);
  EXPECT_EQ(page.dom.find(">prod-* · every app</text>"), std::string::npos);
  EXPECT_NE(page.dom.find("name=\"environment\" value=\"batch\""), std::string::npos);
}

// What the browser built from the page: had a text been written raw, the DOM
// would hold a script element, an onmouseover attribute or a cut-off text.
TEST_F(PageInBrowser, TextFromThePolicyIsShownAsText) {
  const PageVisit page = visit("/ui?environment=hostile", 1280);
  ASSERT_NE(page.dom.find("<h1>Deployment windows</h1>"), std::string::npos) << page.dom;
  ASSERT_NE(page.dom.find(">hostile-window</text>"), std::string::npos) << "the row is drawn";
  ASSERT_NE(page.dom.find("<td>hostile-exception (policy)</td>"), std::string::npos) << "the exception is listed";
  // Text nodes as Chromium serializes them: '<' and '>' escaped, '"' not.
  const std::string as_text = "&lt;script&gt;alert(1)&lt;/script&gt;\"onmouseover=alert(2) ]]&gt;";
  EXPECT_NE(page.dom.find("<td>" + as_text + "</td>"), std::string::npos) << "the reason";
  EXPECT_NE(page.dom.find("<title>hostile, application " + as_text + ": hostile-window</title>"), std::string::npos)
      << "the application";
  EXPECT_EQ(page.dom.find("<script"), std::string::npos);
  EXPECT_EQ(page.dom.find(" onmouseover="), std::string::npos);
  EXPECT_EQ(page.dom.find("]]>"), std::string::npos);
}

}  // namespace
}  // namespace windowguard::testing
