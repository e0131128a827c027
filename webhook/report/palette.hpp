#pragma once
// The page's colours, one place: the style sheet is written from these, and
// tests/report/palette_test.cpp checks that every text colour meets WCAG's
// 4.5:1 contrast on every background it is drawn on.  Colour is never the only
// signal: each kind of bar has its own pattern and its name in the legend.
#include <array>
#include <string_view>

namespace windowguard::report::palette {

inline constexpr std::string_view kPage = "#ffffff";
inline constexpr std::string_view kText = "#1b1f24";
inline constexpr std::string_view kMuted = "#4d5561";  // secondary text: row details, notes
inline constexpr std::string_view kBand = "#eef1f4";   // the axis and table headers
inline constexpr std::string_view kGrid = "#c9ced6";   // lines only, never text
inline constexpr std::string_view kBlackout = "#a4262c";
inline constexpr std::string_view kMaintenance = "#1e6b3a";
inline constexpr std::string_view kException = "#1f4f9c";
inline constexpr std::string_view kNow = "#6b2fa0";
inline constexpr std::string_view kOnBar = "#ffffff";  // a bar's label

struct TextOn {
  std::string_view what;
  std::string_view text;
  std::string_view background;
};

// Every pair of text and background colour the page draws.
inline constexpr std::array kTextPairs{
    TextOn{"text", kText, kPage},
    TextOn{"text on a band", kText, kBand},
    TextOn{"muted text", kMuted, kPage},
    TextOn{"muted text on a band", kMuted, kBand},
    TextOn{"a blackout's label", kOnBar, kBlackout},
    TextOn{"a maintenance window's label", kOnBar, kMaintenance},
    TextOn{"an exception's label", kOnBar, kException},
    TextOn{"the now line's label", kNow, kPage},
    TextOn{"a state: blackout", kBlackout, kPage},
    TextOn{"a state: open", kMaintenance, kPage},
    TextOn{"a state: exception", kException, kPage},
};

}  // namespace windowguard::report::palette
