#include "server/scraper.hpp"

#include <boost/asio/post.hpp>

namespace windowguard::server {

void Scraper::render(ScrapeInputs inputs, std::function<void(std::string)> done) {
  boost::asio::post(thread_, [this, inputs = std::move(inputs), done = std::move(done)] {
    const std::optional<cluster::ClusterViewStatus> cluster =
        inputs.cluster != nullptr ? std::optional(inputs.cluster->status()) : std::nullopt;
    done(metrics_.render(inputs.policy.get(), inputs.now, inputs.exceptions.get(), cluster ? &*cluster : nullptr));
  });
}

void Scraper::stop() { thread_.join(); }

}  // namespace windowguard::server
