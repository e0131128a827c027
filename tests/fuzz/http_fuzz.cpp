// Untrusted bytes as an HTTP/1.1 request: Beast's parser with the server's
// limits, then the server's router (and for /metrics the scrape, for /ui and
// /calendar.ics the page) and the observation of what it answers, as a
// session would run them.
#include <boost/beast/http.hpp>
#include <cstdint>

#include "policy/policy_directory.hpp"
#include "report/page.hpp"
#include "server/endpoints/pages.hpp"
#include "server/endpoints/scrape.hpp"
#include "server/observation.hpp"
#include "server/router.hpp"
#include "support/build_paths.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace windowguard;
  namespace http = boost::beast::http;
  static const auto loaded = policy::load_policy_directory(std::string(build_paths::source_dir) + "/policies");
  static server::Metrics metrics;
  static core::DecisionMemo memo;
  http::request_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  parser.header_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code error;
  parser.put(boost::asio::buffer(data, size), error);
  if (!error && parser.is_done()) {
    server::Request request = parser.release();
    const server::HandlerContext context{loaded.value().policy.get(), "", core::Instant{core::seconds{1'795'000'000}},
                                         memo};
    // What the session does with each outcome: answer it and observe it.
    server::Handled handled = server::handle_request(request, context);
    if (const auto* scrape = std::get_if<server::PendingScrape>(&handled)) {
      handled = server::answer_scrape(*scrape, metrics.render(context.policy, context.now));
    } else if (const auto* page = std::get_if<server::PendingPage>(&handled)) {
      const report::PageKind kind =
          page->endpoint == server::Endpoint::Calendar ? report::PageKind::Calendar : report::PageKind::Timeline;
      handled =
          server::answer_page(*page, report::render_page(*context.policy, {kind, page->request, true, "fuzz"}, {}));
    }
    unsigned status = 0;
    if (const auto* decided = std::get_if<server::DecidedReview>(&handled)) {
      server::observe(metrics, *decided, *context.policy, std::chrono::nanoseconds{0});
      status = decided->response.result_int();
    } else {
      const server::Answer& answer = std::get<server::Answer>(handled);
      server::observe(metrics, answer);
      status = answer.response.result_int();
    }
    if (status == 0) {
      __builtin_trap();
    }
  }
  return 0;
}
