#pragma once
// What the server records of each request it answers: the response count,
// and for a decided review its admission metrics and the decision log line.
// The session calls these once it has the router's outcome, so that the
// router stays a pure function.
#include <chrono>

#include "core/policy.hpp"
#include "server/handled.hpp"
#include "server/metrics.hpp"

namespace windowguard::server {

// An answer that is no decision (a malformed review is logged, with why).
void observe(Metrics& metrics, const Answer& answer);

// A decided review, `latency` after the request was whole; `policy` is the
// one it was decided with (its windows name the log line's).
void observe(Metrics& metrics, const DecidedReview& decided, const core::Policy& policy,
             std::chrono::nanoseconds latency);

}  // namespace windowguard::server
