#pragma once
// POST /validate: an AdmissionReview decided and answered, or, when it needs
// something from the API server (an eviction's Pod, a promotion's source),
// left pending for the session to read it.
#include "core/result.hpp"
#include "server/handled.hpp"

namespace windowguard::server {

Handled validate(Request& request, const HandlerContext& context);

// Decides a pending review with what was read.  An eviction whose Pod could
// not be read is decided under every binding of its environment; a
// promotion whose source could not be read is refused, saying why.
DecidedReview answer_review(PendingReview pending, Result<cluster::ReviewFacts> read, const HandlerContext& context);

}  // namespace windowguard::server
