#include "report/timeline_html.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "core/join.hpp"
#include "core/schedule/time_text.hpp"
#include "report/html_text.hpp"
#include "report/palette.hpp"

namespace windowguard::report {
namespace {

// The timeline's geometry, in SVG user units (CSS pixels at 1200 px wide).
constexpr double kWidth = 1200;
constexpr double kChartLeft = 250;
constexpr double kChartRight = 1185;
constexpr double kAxisHeight = 44;
constexpr double kLaneHeight = 22;
constexpr double kRowPadding = 7;
constexpr double kRowMinimum = 44;
constexpr std::size_t kLabelCharacters = 34;
constexpr double kCharacterWidth = 7.2;  // of a 12 px label, generously

constexpr std::array<core::BarKind, 3> kKinds{core::BarKind::Blackout, core::BarKind::Maintenance,
                                              core::BarKind::Exception};

std::string_view kind_class(core::BarKind kind) {
  switch (kind) {
    case core::BarKind::Blackout:
      return "blackout";
    case core::BarKind::Maintenance:
      return "maintenance";
    case core::BarKind::Exception:
      return "exception";
  }
  return "";
}

std::string_view kind_title(core::BarKind kind) {
  switch (kind) {
    case core::BarKind::Blackout:
      return "Blackout";
    case core::BarKind::Maintenance:
      return "Maintenance window (open)";
    case core::BarKind::Exception:
      return "Exception in force";
  }
  return "";
}

// Coordinates in whole user units: at most half a pixel off at 1200 px, and
// a quarter shorter to write than with a decimal.
void append_number(std::string& out, double value) {
  std::array<char, 24> buffer{};
  const auto [end, problem] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), std::lround(value));
  out.append(buffer.data(), problem == std::errc{} ? end : buffer.data());
}

// A name, shortened to what fits a label, with the whole of it escaped.
void append_label(std::string& out, std::string_view text, std::size_t characters = kLabelCharacters) {
  const std::string_view shown = utf8_prefix(text, characters);
  append_escaped(out, shown);
  if (shown.size() < text.size()) {
    out += "…";
  }
}

class PageWriter {
 public:
  PageWriter(const core::Policy& policy, const core::Timeline& timeline, const PageOptions& options)
      : policy_(policy), timeline_(timeline), options_(options), utc_(core::TimeZone::utc()) {}

  std::string write() {
    // One allocation: a row takes about 600 bytes and a bar 450.
    std::size_t bars = 0;
    for (const core::TimelineRow& row : timeline_.rows) {
      bars += row.bars.size();
    }
    out_.reserve(32768 + timeline_.rows.size() * 640 + bars * 480 +
                 (timeline_.exceptions.size() + timeline_.image_approvals.size()) * 512);
    head();
    header();
    out_ += "<main>\n";
    timeline();
    exceptions();
    image_approvals();
    out_ += "</main>\n<footer><p>";
    append_escaped(out_, options_.generator);
    out_ += " · rendered ";
    core::append_readable(out_, timeline_.now, utc_);
    out_ += " · no script, nothing fetched from elsewhere</p></footer>\n</body>\n</html>\n";
    return std::move(out_);
  }

 private:
  void head() {
    out_ +=
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        // Nothing is fetched and nothing runs, even if an escape were missed.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:; form-action 'self'\">\n<title>Deployment windows · windowguard</title>\n<style>\n";
    style();
    out_ += "</style>\n</head>\n<body>\n";
  }

  void style() {
    using namespace palette;
    const auto rule = [&](std::string_view selector, std::string_view before, std::string_view colour,
                          std::string_view after = "") {
      out_ += selector;
      out_ += '{';
      out_ += before;
      out_ += colour;
      out_ += after;
      out_ += "}\n";
    };
    rule("body",
         "margin:0;padding:16px;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:", kText,
         std::string(";background:") + std::string(kPage));
    rule(".muted,.details,footer", "color:", kMuted);
    rule("th,.axis-band", "background:", kBand);
    rule(".axis-band", "fill:", kBand);
    rule(".grid", "stroke-width:1;stroke:", kGrid);
    rule("td,th", "padding:4px 10px;text-align:left;vertical-align:top;border-bottom:1px solid ", kGrid);
    rule(".now", "stroke-width:2;stroke:", kNow);
    rule(".now-label", "font-weight:600;fill:", kNow);
    rule(".bar-label", "font-size:12px;fill:", kOnBar);
    // A bar is its pattern; its label sits on a halo of the bar's colour,
    // so that the label's contrast is the palette's.
    out_ +=
        ".blackout rect{fill:url(#p-blackout)}.maintenance rect{fill:url(#p-maintenance)}"
        ".exception rect{fill:url(#p-exception)}\n"
        ".bar-label{paint-order:stroke;stroke-width:5px;stroke-linejoin:round}\n";
    rule(".blackout .bar-label", "stroke:", kBlackout);
    rule(".maintenance .bar-label", "stroke:", kMaintenance);
    rule(".exception .bar-label", "stroke:", kException);
    rule(".state-blackout", "font-weight:600;color:", kBlackout);
    rule(".state-open", "font-weight:600;color:", kMaintenance);
    rule(".state-exception", "font-weight:600;color:", kException);
    rule("svg text", "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;fill:", kText);
    out_ +=
        "h1{font-size:1.5rem;margin:0 0 4px}h2{font-size:1.15rem;margin:24px 0 8px}\n"
        ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}\n"
        "svg.timeline{display:block;width:100%;min-width:900px;height:auto}\n"
        "table{border-collapse:collapse;min-width:100%}\n"
        "form{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;margin:12px 0}\n"
        "label{display:flex;flex-direction:column;font-size:.85rem}\n"
        "input,button{font:inherit;padding:4px 6px}\n"
        ".legend{display:flex;flex-wrap:wrap;gap:6px 20px;padding:0;margin:8px 0;list-style:none}\n"
        ".legend li{display:flex;align-items:center;gap:6px}\n"
        ".row-name{font-size:13px;font-weight:600}.row-windows{font-size:11px}\n"
        ".axis-label{font-size:11px}\n";
    rule("svg .details", "fill:", kMuted);
  }

  // The patterns that tell the kinds of bar apart without colour.
  void patterns() {
    using namespace palette;
    out_ += "<svg width=\"0\" height=\"0\" aria-hidden=\"true\" style=\"position:absolute\"><defs>";
    out_ +=
        "<pattern id=\"p-blackout\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
        "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"";
    out_ += kBlackout;
    out_ += "\"/><rect width=\"3\" height=\"6\" fill=\"#ffffff\" opacity=\"0.55\"/></pattern>";
    out_ +=
        "<pattern id=\"p-maintenance\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
        "height=\"6\" fill=\"";
    out_ += kMaintenance;
    out_ += "\"/><circle cx=\"3\" cy=\"3\" r=\"1.5\" fill=\"#ffffff\" opacity=\"0.7\"/></pattern>";
    out_ +=
        "<pattern id=\"p-exception\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" "
        "height=\"6\" fill=\"";
    out_ += kException;
    out_ += "\"/><path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#ffffff\" stroke-width=\"1\" opacity=\"0.6\"/></pattern>";
    out_ += "</defs></svg>\n";
  }

  void header() {
    patterns();
    out_ += "<header>\n<h1>Deployment windows</h1>\n<p class=\"muted\">From ";
    core::append_readable(out_, timeline_.from, utc_);
    out_ += ", ";
    out_ += std::to_string(options_.days);
    out_ += options_.days == 1 ? " day" : " days";
    out_ +=
        ". The axis is in UTC; each bar's title gives its times in the window's zone and in UTC. "
        "Subscribe to these windows in a calendar: <a href=\"calendar.ics";
    feed_query();
    out_ += "\">calendar.ics</a>.</p>\n";
    form();
    legend();
    out_ += "</header>\n";
  }

  void feed_query() {
    std::string_view separator = "?";
    for (const auto& [name, value] :
         {std::pair{"environment", options_.environment}, std::pair{"application", options_.application}}) {
      if (!value.empty()) {
        out_ += separator;
        out_ += name;
        out_ += '=';
        std::string encoded;
        append_query_value(encoded, value);
        append_escaped(out_, encoded);
        separator = "&amp;";
      }
    }
  }

  void form() {
    out_ += "<form method=\"get\">\n";
    const auto field = [&](std::string_view label, std::string_view name, std::string_view value,
                           std::string_view placeholder) {
      out_ += "<label>";
      out_ += label;
      out_ += " <input name=\"";
      out_ += name;
      out_ += "\" value=\"";
      append_escaped(out_, value);
      out_ += "\" placeholder=\"";
      out_ += placeholder;
      out_ += "\"></label>\n";
    };
    field("Environment (glob)", "environment", options_.environment, "prod-*");
    field("Application (glob)", "application", options_.application, "checkout");
    out_ += "<label>Days <input name=\"days\" type=\"number\" min=\"1\" max=\"";
    out_ += std::to_string(core::kMostPageDays);
    out_ += "\" value=\"";
    out_ += std::to_string(options_.days);
    out_ += "\"></label>\n<button type=\"submit\">Show</button>\n</form>\n";
  }

  void legend() {
    out_ += "<ul class=\"legend\">\n";
    for (core::BarKind kind : kKinds) {
      out_ +=
          "<li><svg width=\"28\" height=\"16\" aria-hidden=\"true\"><rect width=\"28\" height=\"16\" fill=\"url(#p-";
      out_ += kind_class(kind);
      out_ += ")\"/></svg>";
      out_ += kind_title(kind);
      out_ += "</li>\n";
    }
    out_ +=
        "<li><svg width=\"28\" height=\"16\" aria-hidden=\"true\"><line x1=\"14\" y1=\"0\" x2=\"14\" y2=\"16\" "
        "class=\"now\"/></svg>Now</li>\n</ul>\n";
  }

  double x_of(core::Instant instant) const {
    const double span = static_cast<double>((timeline_.to - timeline_.from).count());
    const double offset =
        static_cast<double>((std::clamp(instant, timeline_.from, timeline_.to) - timeline_.from).count());
    return kChartLeft + (kChartRight - kChartLeft) * offset / span;
  }

  static double row_height(std::size_t lanes) {
    return std::max(kRowMinimum, 2 * kRowPadding + static_cast<double>(lanes) * kLaneHeight);
  }

  void timeline() {
    out_ += "<section aria-label=\"Timeline\">\n";
    if (timeline_.rows.empty()) {
      out_ += "<p>No binding matches these filters.</p>\n</section>\n";
      return;
    }
    std::vector<std::array<int, 3>> lanes_of_rows;  // each kind's lane in the row, -1 when absent
    double height = kAxisHeight;
    for (const core::TimelineRow& row : timeline_.rows) {
      std::array<int, 3> lanes{-1, -1, -1};
      int used = 0;
      for (std::size_t kind = 0; kind < kKinds.size(); ++kind) {
        if (std::any_of(row.bars.begin(), row.bars.end(),
                        [&](const core::TimelineBar& bar) { return bar.kind == kKinds[kind]; })) {
          lanes[kind] = used++;
        }
      }
      lanes_of_rows.push_back(lanes);
      height += row_height(static_cast<std::size_t>(std::max(used, 1)));
    }
    out_ += "<div class=\"scroll\">\n<svg class=\"timeline\" viewBox=\"0 0 ";
    append_number(out_, kWidth);
    out_ += ' ';
    append_number(out_, height);
    out_ += "\" role=\"img\" aria-label=\"Windows and exceptions by environment and application\">\n";
    axis(height);
    double top = kAxisHeight;
    for (std::size_t index = 0; index < timeline_.rows.size(); ++index) {
      const std::array<int, 3>& lanes = lanes_of_rows[index];
      const int used = static_cast<int>(std::count_if(lanes.begin(), lanes.end(), [](int lane) { return lane >= 0; }));
      const double row_bottom = top + row_height(static_cast<std::size_t>(std::max(used, 1)));
      row(timeline_.rows[index], lanes, top);
      out_ += "<line class=\"grid\" x1=\"0\" x2=\"";
      append_number(out_, kWidth);
      out_ += "\" y1=\"";
      append_number(out_, row_bottom);
      out_ += "\" y2=\"";
      append_number(out_, row_bottom);
      out_ += "\"/>\n";
      top = row_bottom;
    }
    now_line(height);
    out_ += "</svg>\n</div>\n</section>\n";
  }

  void axis(double height) {
    out_ += "<rect class=\"axis-band\" x=\"0\" y=\"0\" width=\"";
    append_number(out_, kWidth);
    out_ += "\" height=\"";
    append_number(out_, kAxisHeight - 14);
    out_ += "\"/>\n";
    const auto total = static_cast<int>((timeline_.to - timeline_.from) / core::days{1});
    const int label_every = total <= 16 ? 1 : total <= 35 ? 2 : 7;
    for (int day = 0; day < total; ++day) {
      const core::Instant midnight = timeline_.from + core::days{day};
      const double x = x_of(midnight);
      out_ += "<line class=\"grid\" x1=\"";
      append_number(out_, x);
      out_ += "\" x2=\"";
      append_number(out_, x);
      out_ += "\" y1=\"0\" y2=\"";
      append_number(out_, height);
      out_ += "\"/>";
      if (day % label_every == 0) {
        out_ += "<text class=\"axis-label\" x=\"";
        append_number(out_, x + 3);
        out_ += "\" y=\"19\">";
        out_ += date::format("%a %d %b", date::floor<core::days>(midnight));
        out_ += "</text>";
      }
      out_ += '\n';
    }
    out_ += "<text class=\"axis-label details\" x=\"8\" y=\"19\">UTC</text>\n";
  }

  void row(const core::TimelineRow& row, const std::array<int, 3>& lanes, double top) {
    out_ += "<g class=\"row\"><title>";
    append_escaped(out_, row.environment);
    out_ += row.application.empty() ? std::string_view(", every application") : std::string_view(", application ");
    append_escaped(out_, row.application);
    out_ += ": ";
    for (std::size_t i = 0; i < row.windows.size(); ++i) {
      out_ += i == 0 ? "" : ", ";
      append_escaped(out_, policy_.windows()[row.windows[i]].name);
    }
    out_ += "</title>\n<text class=\"row-name\" x=\"8\" y=\"";
    append_number(out_, top + 18);
    out_ += "\">";
    append_label(out_, row.environment, 22);
    out_ += " · ";
    if (row.application.empty()) {
      out_ += "every app";
    } else {
      append_label(out_, row.application, 14);
    }
    out_ += "</text>\n<text class=\"row-windows details\" x=\"8\" y=\"";
    append_number(out_, top + 34);
    out_ += "\">";
    std::string names;
    for (std::size_t i = 0; i < row.windows.size(); ++i) {
      names += i == 0 ? "" : ", ";
      names += policy_.windows()[row.windows[i]].name;
    }
    append_label(out_, names);
    out_ += "</text>\n";
    std::array<double, 3> label_free_from{0, 0, 0};  // by kind: where the last label drawn in its lane ends
    for (const core::TimelineBar& bar : row.bars) {
      const auto kind = static_cast<std::size_t>(std::find(kKinds.begin(), kKinds.end(), bar.kind) - kKinds.begin());
      this->bar(bar, top + kRowPadding + lanes[kind] * kLaneHeight, label_free_from[kind]);
    }
    out_ += "</g>\n";
  }

  std::string_view bar_name(const core::TimelineBar& bar) const {
    return bar.kind == core::BarKind::Exception ? std::string_view(timeline_.exceptions[bar.index].label)
                                                : std::string_view(policy_.windows()[bar.index].name);
  }

  // A label is drawn where the bar is wide enough and no earlier label of
  // its lane reaches (overlapping bars of one kind share a lane).
  void bar(const core::TimelineBar& bar, double y, double& label_free_from) {
    const double left = x_of(bar.from);
    const double width = std::max(2.0, x_of(bar.to) - left);
    const double height = kLaneHeight - 3;
    const std::string_view name = bar_name(bar);
    out_ += "<g class=\"bar ";
    out_ += kind_class(bar.kind);
    out_ += "\"><title>";
    bar_title(bar, name);
    out_ += "</title><rect x=\"";
    append_number(out_, left);
    out_ += "\" y=\"";
    append_number(out_, y);
    out_ += "\" width=\"";
    append_number(out_, width);
    out_ += "\" height=\"";
    append_number(out_, height);
    out_ += "\"/>";
    const double label_left = std::max(left, label_free_from);
    const double label_room = left + width - label_left;
    const auto characters = static_cast<std::size_t>(std::max(0.0, label_room - 8) / kCharacterWidth);
    if (characters >= 4) {
      out_ += "<text class=\"bar-label\" x=\"";
      append_number(out_, label_left + 4);
      out_ += "\" y=\"";
      append_number(out_, y + 13.5);
      out_ += "\">";
      append_label(out_, name, characters);
      out_ += "</text>";
      label_free_from = label_left + 8 + kCharacterWidth * static_cast<double>(std::min(characters, name.size()));
    }
    out_ += "</g>\n";
  }

  // "Blackout weekend: Sat 2026-12-12 00:00 CET to Mon 2026-12-14 06:00 CET
  // (Europe/Berlin); Fri 2026-12-11 23:00 UTC to Mon 2026-12-14 05:00 UTC",
  // written in place: the times are digits, letters and zone abbreviations,
  // which need no escaping.
  void bar_title(const core::TimelineBar& bar, std::string_view name) {
    out_ += kind_title(bar.kind);
    out_ += ' ';
    append_escaped(out_, name);
    if (!bar.event.empty()) {
      out_ += " (";
      append_escaped(out_, bar.event);
      out_ += ')';
    }
    out_ += ": ";
    if (bar.kind != core::BarKind::Exception) {
      const core::TimeZone& zone = policy_.windows()[bar.index].schedule.zone();
      core::append_readable(out_, bar.from, zone);
      out_ += " to ";
      core::append_readable(out_, bar.to, zone);
      out_ += " (";
      append_escaped(out_, zone.name());
      out_ += "); ";
    }
    core::append_readable(out_, bar.from, utc_);
    out_ += " to ";
    core::append_readable(out_, bar.to, utc_);
  }

  void now_line(double height) {
    const double x = x_of(timeline_.now);
    out_ += "<line class=\"now\" x1=\"";
    append_number(out_, x);
    out_ += "\" x2=\"";
    append_number(out_, x);
    out_ += "\" y1=\"24\" y2=\"";
    append_number(out_, height);
    out_ += "\"><title>Now: ";
    core::append_readable(out_, timeline_.now, utc_);
    out_ += "</title></line><text class=\"now-label axis-label\" x=\"";
    append_number(out_, x + 4);
    out_ += "\" y=\"38\">now</text>\n";
  }

  void people_note() {
    if (!options_.people) {
      out_ +=
          "<p class=\"muted\">Requesters, approvers and reasons are hidden here (serve --ui-people shows them).</p>\n";
    }
  }

  void cell(std::string_view text) {
    out_ += "<td>";
    append_escaped(out_, text);
    out_ += "</td>";
  }

  void instant_cell(std::optional<core::Instant> instant) {
    out_ += "<td>";
    if (instant) {
      core::append_readable(out_, *instant, utc_);
    } else {
      out_ += "—";
    }
    out_ += "</td>";
  }

  static std::string joined(const std::vector<std::string>& items, std::string_view when_empty) {
    return items.empty() ? std::string(when_empty) : core::join(items);
  }

  // A section of `rows` as a table, or "None."; the people's columns only
  // when asked for.  `write_row` writes a row's cells.
  template <typename Row, typename WriteRow>
  void table_section(std::string_view label, std::string_view heading, const std::vector<Row>& rows,
                     std::string_view headers, std::string_view people_headers, const WriteRow& write_row) {
    out_ += "<section aria-label=\"";
    out_ += label;
    out_ += "\">\n<h2>";
    out_ += heading;
    out_ += "</h2>\n";
    if (rows.empty()) {
      out_ += "<p>None.</p>\n</section>\n";
      return;
    }
    people_note();
    out_ += "<div class=\"scroll\"><table>\n<thead><tr>";
    out_ += headers;
    out_ += options_.people ? people_headers : "";
    out_ += "</tr></thead>\n<tbody>\n";
    for (const Row& row : rows) {
      out_ += "<tr>";
      write_row(row);
      out_ += "</tr>\n";
    }
    out_ += "</tbody>\n</table></div>\n</section>\n";
  }

  void exceptions() {
    table_section(
        "Exceptions", "Exceptions pending and in force", timeline_.exceptions,
        "<th>Exception</th><th>Where</th><th>Windows</th><th>State</th><th>From</th><th>Until</th>",
        "<th>Requested by</th><th>Approved by</th><th>Reason</th>", [&](const core::TimelineException& exception) {
          cell(exception.label + (exception.from_policy ? " (policy)" : ""));
          cell(joined(exception.environments, "") + "; " + joined(exception.applications, "every application"));
          std::vector<std::string> windows;
          for (std::size_t window : exception.windows) {
            windows.push_back(policy_.windows()[window].name);
          }
          cell(joined(windows, "—"));
          const bool approved = exception.state != core::ExceptionState::Pending;
          out_ += approved ? "<td class=\"state-exception\">" : "<td class=\"state-blackout\">";
          out_ += core::exception_state_name(exception.state);
          if (!exception.from_policy) {
            out_ += ' ';
            out_ += std::to_string(exception.approvals);
            out_ += '/';
            out_ += std::to_string(exception.required);
          }
          out_ += "</td>";
          instant_cell(exception.from);
          instant_cell(exception.until);
          if (options_.people) {
            cell(exception.from_policy ? "the policy" : exception.requested_by);
            cell(joined(exception.approvers, "—"));
            cell(exception.reason);
          }
        });
  }

  void image_approvals() {
    table_section("Image approvals", "Image approvals pending and in force", timeline_.image_approvals,
                  "<th>Request</th><th>Application</th><th>Images</th><th>State</th><th>Until</th>",
                  "<th>Requested by</th><th>Approved by</th>", [&](const core::TimelineImageApproval& approval) {
                    cell(approval.label);
                    cell(approval.application);
                    cell(joined(approval.images, "—") +
                         (approval.promoted_from.empty() ? "" : " (promoted from " + approval.promoted_from + ")"));
                    out_ += approval.approved ? "<td class=\"state-open\">approved "
                                              : "<td class=\"state-blackout\">pending ";
                    out_ += std::to_string(approval.approvals);
                    out_ += '/';
                    out_ += std::to_string(approval.required);
                    out_ += "</td>";
                    instant_cell(approval.until);
                    if (options_.people) {
                      cell(approval.requested_by);
                      cell(joined(approval.approvers, "—"));
                    }
                  });
  }

  const core::Policy& policy_;
  const core::Timeline& timeline_;
  const PageOptions& options_;
  const core::TimeZone utc_;
  std::string out_;
};

}  // namespace

std::string timeline_html(const core::Policy& policy, const core::Timeline& timeline, const PageOptions& options) {
  return PageWriter(policy, timeline, options).write();
}

}  // namespace windowguard::report
