#include "server/renderer.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

namespace windowguard::server {

Renderer::Renderer(const Metrics& metrics) : metrics_(metrics) {
  // Linux gives each thread its own nice value: this lowers the pool's
  // thread alone.  Failing to lower it costs only the reviews' latency.
  boost::asio::post(thread_, [] { setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 19); });
}

void Renderer::scrape(ScrapeInputs inputs, std::function<void(std::string)> done) {
  boost::asio::post(thread_, [this, inputs = std::move(inputs), done = std::move(done)] {
    const std::optional<cluster::ClusterViewStatus> cluster =
        inputs.cluster != nullptr ? std::optional(inputs.cluster->status()) : std::nullopt;
    done(metrics_.render(inputs.policy.get(), inputs.now, inputs.exceptions.get(), cluster ? &*cluster : nullptr));
  });
}

void Renderer::page(PageInputs inputs, std::function<void(std::string)> done) {
  boost::asio::post(thread_, [inputs = std::move(inputs), done = std::move(done)] {
    done(report::render_page(*inputs.policy, inputs.request,
                             {inputs.exceptions.get(), inputs.approvals.get(), inputs.namespaces.get()}));
  });
}

void Renderer::stop() { thread_.join(); }

}  // namespace windowguard::server
