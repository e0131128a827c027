// Image references read as `docker pull` reads them: real references, with
// the defaults Docker fills in, and the ones Docker refuses.
#include "core/images/image_reference.hpp"

#include <gtest/gtest.h>

namespace windowguard::core {
namespace {

const std::string kSha256 = "sha256:" + std::string(64, 'a');

struct Parsed {
  std::string text;
  std::string registry;
  std::string repository;
  std::string tag;
  std::string digest;
  std::string normalized;
};

class ImageReferenceTable : public testing::TestWithParam<Parsed> {};

TEST_P(ImageReferenceTable, IsReadAsDockerReadsIt) {
  const Parsed& expected = GetParam();
  Result<ImageReference> image = parse_image_reference(expected.text);
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ(image->registry, expected.registry);
  EXPECT_EQ(image->repository, expected.repository);
  EXPECT_EQ(image->tag, expected.tag);
  EXPECT_EQ(image->digest, expected.digest);
  EXPECT_EQ(image->normalized(), expected.normalized);
}

INSTANTIATE_TEST_SUITE_P(
    RealReferences, ImageReferenceTable,
    testing::Values(
        Parsed{"nginx", "docker.io", "library/nginx", "latest", "", "docker.io/library/nginx:latest"},
        Parsed{"nginx:1.25.3", "docker.io", "library/nginx", "1.25.3", "", "docker.io/library/nginx:1.25.3"},
        Parsed{"bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", "", "docker.io/bitnami/redis:7.2"},
        Parsed{"docker.io/nginx", "docker.io", "library/nginx", "latest", "", "docker.io/library/nginx:latest"},
        Parsed{"index.docker.io/library/busybox:1.36", "docker.io", "library/busybox", "1.36", "",
               "docker.io/library/busybox:1.36"},
        Parsed{"registry.k8s.io/pause:3.9", "registry.k8s.io", "pause", "3.9", "", "registry.k8s.io/pause:3.9"},
        Parsed{"quay.io/prometheus/node-exporter:v1.7.0", "quay.io", "prometheus/node-exporter", "v1.7.0", "",
               "quay.io/prometheus/node-exporter:v1.7.0"},
        Parsed{"ghcr.io/argoproj/argo-cd/argocd:v2.9.3", "ghcr.io", "argoproj/argo-cd/argocd", "v2.9.3", "",
               "ghcr.io/argoproj/argo-cd/argocd:v2.9.3"},
        Parsed{"localhost:5000/team/app", "localhost:5000", "team/app", "latest", "", "localhost:5000/team/app:latest"},
        Parsed{"localhost/app:dev", "localhost", "app", "dev", "", "localhost/app:dev"},
        Parsed{"10.0.0.7:5000/payments/checkout:2.3.1", "10.0.0.7:5000", "payments/checkout", "2.3.1", "",
               "10.0.0.7:5000/payments/checkout:2.3.1"},
        Parsed{"[::1]:5000/app:1", "[::1]:5000", "app", "1", "", "[::1]:5000/app:1"},
        Parsed{"Registry.Example.com/app:1", "Registry.Example.com", "app", "1", "", "Registry.Example.com/app:1"},
        Parsed{"registry.example.com/payments/checkout@" + kSha256, "registry.example.com", "payments/checkout", "",
               kSha256, "registry.example.com/payments/checkout@" + kSha256},
        Parsed{"registry.example.com/payments/checkout:2.3.1@" + kSha256, "registry.example.com", "payments/checkout",
               "2.3.1", kSha256, "registry.example.com/payments/checkout:2.3.1@" + kSha256},
        Parsed{"alpine@" + kSha256, "docker.io", "library/alpine", "", kSha256, "docker.io/library/alpine@" + kSha256},
        Parsed{"my_org/my__app-x--y.z:V_1.0-rc", "docker.io", "my_org/my__app-x--y.z", "V_1.0-rc", "",
               "docker.io/my_org/my__app-x--y.z:V_1.0-rc"},
        Parsed{"gcr.io/distroless/static-debian12:nonroot@sha512:" + std::string(128, 'f'), "gcr.io",
               "distroless/static-debian12", "nonroot", "sha512:" + std::string(128, 'f'),
               "gcr.io/distroless/static-debian12:nonroot@sha512:" + std::string(128, 'f')}));

struct Refused {
  std::string text;
  std::string why;  // part of the problem's message
};

class RefusedImageReferenceTable : public testing::TestWithParam<Refused> {};

TEST_P(RefusedImageReferenceTable, IsRefusedWithItsReason) {
  const Refused& expected = GetParam();
  Result<ImageReference> image = parse_image_reference(expected.text);
  ASSERT_FALSE(image) << "read as " << image->normalized();
  EXPECT_NE(image.error().message.find(expected.why), std::string::npos) << image.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Refused, RefusedImageReferenceTable,
    testing::Values(
        Refused{"", "empty"}, Refused{"Nginx", "must be lowercase"},
        Refused{"docker.io/Library/nginx", "must be lowercase"},
        Refused{"registry.example.com/Payments/checkout:1", "must be lowercase"}, Refused{"nginx:", "tag \"\""},
        Refused{"nginx:-1", "tag \"-1\""}, Refused{"nginx:" + std::string(129, 'a'), "1 to 128"},
        Refused{"nginx@sha256:abc", "64 lowercase hex"},
        Refused{"nginx@sha256:" + std::string(64, 'A'), "64 lowercase hex"},
        Refused{"nginx@md5:" + std::string(32, 'a'), "is not sha256"}, Refused{"nginx@", "is not sha256"},
        Refused{"registry.example.com/", "names no repository"}, Refused{"host:port/app", "registry \"host:port\""},
        Refused{"-bad.example.com/app", "registry \"-bad.example.com\""},
        Refused{"team//app", "repository component \"\""}, Refused{"team/app-", "\"app-\""},
        Refused{"team/.app", "\".app\""}, Refused{"app name", "\"app name\""},
        Refused{"a/" + std::string(300, 'b'), "longer than 255"},
        Refused{std::string(240, 'b'), "completed to docker.io/library/bbb"},
        Refused{std::string(5000, 'a'), "longer than 4096"},
        Refused{"nginx@sha256:" + std::string(64, 'a') + "@sha256:" + std::string(64, 'a'), "64 lowercase hex"}));

TEST(ImageReference, TwoSpellingsOfOneImageShareTheirName) {
  EXPECT_EQ(parse_image_reference("nginx:1.25")->name(),
            parse_image_reference("docker.io/library/nginx@" + kSha256)->name());
  EXPECT_NE(parse_image_reference("nginx")->name(), parse_image_reference("quay.io/nginx")->name());
}

// What a Pod's status.containerStatuses[].imageID reports, by runtime.
TEST(ImageReference, AReportedImageIdIsARepositoryDigestOrNothing) {
  const std::string digest = "sha256:" + std::string(64, 'b');
  const std::optional<ImageReference> containerd = reported_digest("docker.io/library/nginx@" + digest);
  ASSERT_TRUE(containerd);
  EXPECT_EQ(containerd->normalized(), "docker.io/library/nginx@" + digest);
  const std::optional<ImageReference> docker = reported_digest("docker-pullable://nginx@" + digest);
  ASSERT_TRUE(docker);
  EXPECT_EQ(docker->normalized(), "docker.io/library/nginx@" + digest);
  EXPECT_FALSE(reported_digest(digest)) << "a bare image ID names no repository";
  EXPECT_FALSE(reported_digest("docker.io/library/nginx:1.25")) << "a tag is no digest";
  EXPECT_FALSE(reported_digest(""));
}

}  // namespace
}  // namespace windowguard::core
