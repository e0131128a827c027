#pragma once
// Synthetic policies for the benchmarks: `total` windows, `applying` of them
// bound to the benchmark review's namespace (prod-eu-1), the others each to a
// namespace of their own, across every duration kind and several zones; every
// window may be lifted by an exception with one approval.
#include <string>

namespace windowguard::bench {

inline std::string synthetic_policy(int total, int applying) {
  static const char* const kDurations[] = {
      "      - weeklyRange: {from: \"Sat 00:00\", to: \"Mon 06:00\"}\n",
      "      - daily: {from: \"22:00\", to: \"06:00\"}\n",
      "      - cron: {schedule: \"0 22 * * 5\", duration: 58h}\n",
      "      - yearly: {from: \"Dec 20 00:00\", to: \"Jan 2 00:00\"}\n",
      "      - monthly: {from: \"-1 18:00\", to: \"1 09:00\"}\n",
  };
  static const char* const kZones[] = {"Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC"};
  std::string text = "apiVersion: windowguard.dev/v1\nkind: WindowPolicy\nwindows:\n";
  for (int i = 0; i < total; ++i) {
    text += "  - name: window-" + std::to_string(i) + "\n    type: blackout\n    timeZone: " + kZones[i % 5] +
            "\n    durations:\n" + kDurations[i % 5] + "    exempt: {superAdmins: true, groups: [sre-" +
            std::to_string(i % 7) + "]}\n    exceptions: {approvals: 1}\n    message: Window " + std::to_string(i) +
            ".\n";
  }
  text += "bindings:\n";
  for (int i = 0; i < total; ++i) {
    const std::string environment = i < applying ? "prod-eu-1" : "team-" + std::to_string(i);
    text += "  - windows: [window-" + std::to_string(i) + "]\n    environments: [" + environment + "]\n";
  }
  return text;
}

}  // namespace windowguard::bench
