// Every text colour of the page against every background it is drawn on:
// WCAG 2's contrast ratio must be at least 4.5:1.
#include "report/palette.hpp"

#include <cmath>
#include <string>

#include <gtest/gtest.h>

namespace windowguard::report {
namespace {

// WCAG 2.x relative luminance of "#rrggbb".
double luminance(std::string_view hex) {
  EXPECT_EQ(hex.size(), 7U) << hex;
  const auto channel = [&](std::size_t at) {
    const double value = std::stoi(std::string(hex.substr(at, 2)), nullptr, 16) / 255.0;
    return value <= 0.04045 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

double contrast(std::string_view first, std::string_view second) {
  const double a = luminance(first);
  const double b = luminance(second);
  return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

TEST(Palette, TheContrastFormulaIsWcags) {
  EXPECT_NEAR(contrast("#000000", "#ffffff"), 21.0, 1e-9);
  EXPECT_NEAR(contrast("#777777", "#ffffff"), 4.48, 0.01);  // the grey that famously just fails
  EXPECT_NEAR(contrast("#ffffff", "#ffffff"), 1.0, 1e-9);
}

TEST(Palette, EveryTextOnItsBackgroundHasAContrastOfAtLeast4_5) {
  for (const palette::TextOn& pair : palette::kTextPairs) {
    EXPECT_GE(contrast(pair.text, pair.background), 4.5) << pair.what << ": " << pair.text << " on " << pair.background;
  }
}

}  // namespace
}  // namespace windowguard::report
