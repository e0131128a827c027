// The doors beside the workloads (docs/admission.md, "Request -> action"):
// bare Pods, Pod image edits, Jobs and CronJobs, tried by a developer with
// the edit role during a freeze, while Kubernetes' own controllers go on.
#include <gtest/gtest.h>

#include <sstream>

#include "cluster/cluster_helpers.hpp"

namespace windowguard::testing {
namespace {

std::string pod(const std::string& name, const std::string& ns, const std::string& image,
                const std::string& init_image = "") {
  std::string text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
                     "\n  labels: {app: " + name + "}\nspec:\n";
  if (!init_image.empty()) {
    text += "  initContainers:\n    - name: init\n      image: " + init_image + "\n";
  }
  return text + "  containers:\n    - name: " + name + "\n      image: " + image + "\n";
}

std::string job(const std::string& name, const std::string& ns, const std::string& image = "nginx:1.25") {
  return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
         "\nspec:\n  template:\n    metadata:\n      labels: {app: " + name +
         "}\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: app\n          image: " + image +
         "\n";
}

std::string cronjob(const std::string& name, const std::string& ns, const std::string& schedule) {
  return "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: " + name + "\n  namespace: " + ns +
         "\n  labels: {app: " + name + "}\nspec:\n  schedule: \"" + schedule +
         "\"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {app: " + name +
         "}\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: app\n"
         "              image: nginx:1.25\n";
}

// Whether a Job whose name starts with `prefix` appears in `ns` within `within`.
bool job_appears(const std::string& ns, const std::string& prefix, std::chrono::seconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  do {
    const CommandResult listed = ClusterEnvironment::shared().cluster().kubectl(
        {"get", "jobs", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}"});
    std::istringstream names(listed.out);
    for (std::string name; names >> name;) {
      if (name.starts_with(prefix)) {
        return true;
      }
    }
    std::this_thread::sleep_for(1s);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

TEST_F(Cluster, EveryDoorBesideTheWorkloadsIsDeniedDuringAFreeze) {
  const std::string ns = "frozen-doors";
  make_namespace(ns);
  // The super-admin is exempt.  The CronJob fires every minute: its
  // controller creates a Job, and the Job controller its Pod, in the freeze.
  admin_apply(pod("kept", ns, "nginx:1.25") + "---\n" + job("done", ns) + "---\n" +
              cronjob("nightly", ns, "0 2 * * *") + "---\n" + cronjob("minutely", ns, "* * * * *"));
  const std::vector<GovernedRow> rows{
      {"kubectl run",
       {"run", "sneaky", "--image=registry.example.com/shop/web:latest", "-n", ns},
       "sneaky",
       {"deploy of Pod frozen-doors/sneaky is blocked by blackout window \"change-freeze\""}},
      {"kubectl set image on a Pod",
       {"set", "image", "pod/kept", "kept=registry.example.com/evil/y:latest", "-n", ns},
       "kept",
       {"deploy of Pod frozen-doors/kept is blocked"}},
      {"kubectl create job",
       {"create", "job", "j", "--image=nginx:1.25", "-n", ns},
       "j",
       {"deploy of Job frozen-doors/j"}},
      {"kubectl create job --from a CronJob",
       {"create", "job", "by-hand", "--from=cronjob/nightly", "-n", ns},
       "by-hand",
       {"deploy of Job frozen-doors/by-hand is blocked"}},
      {"kubectl create cronjob",
       {"create", "cronjob", "c", "--image=nginx:1.25", "--schedule=0 3 * * *", "-n", ns},
       "c",
       {"deploy of CronJob frozen-doors/c is blocked"}},
      {"kubectl set image on a CronJob",
       {"set", "image", "cronjob/nightly", "app=nginx:1.26", "-n", ns},
       "nightly",
       {"deploy of CronJob frozen-doors/nightly is blocked"}},
      {"suspending a CronJob",
       {"patch", "cronjob/nightly", "-n", ns, "--type=merge", "-p", R"({"spec":{"suspend":true}})"},
       "nightly",
       {"hibernate of CronJob frozen-doors/nightly is blocked"}},
      {"deleting a Job", {"delete", "job/done", "-n", ns, "--wait=false"}, "done", {"delete of Job frozen-doors/done"}},
      {"deleting a CronJob",
       {"delete", "cronjob/nightly", "-n", ns, "--wait=false"},
       "nightly",
       {"delete of CronJob frozen-doors/nightly is blocked"}},
  };
  for (const GovernedRow& row : rows) {
    expect_denied_and_reviewed(row);
  }
  // Not governed: what changes no container.
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"label", "pod/kept", "tier=front", "-n", ns},
        std::vector<std::string>{"annotate", "cronjob/nightly", "owner=team-a", "-n", ns},
        std::vector<std::string>{"label", "job/done", "tier=batch", "-n", ns}}) {
    const CommandResult result = cluster().kubectl(kDeveloper, arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments[0] << " " << arguments[1] << ": " << output_of(result);
  }
  // The controllers were never held up, and never reached the webhook.
  EXPECT_EQ(wait_for_pods(ns, "done", 1).size(), 1U) << "the Job controller's Pod was not created";
  EXPECT_TRUE(job_appears(ns, "minutely-", 90s)) << "the CronJob did not fire";
  EXPECT_EQ(wait_for_pods(ns, "minutely", 1).size(), 1U) << "the fired Job's Pod was not created";
  for (const std::string& line : webhook().log()) {
    EXPECT_EQ(line.find("\"user\":\"system:serviceaccount:kube-system:"), std::string::npos) << line;
  }
  // An exempt deletion of the namespace: the namespace controller deletes its
  // Jobs, CronJobs and Pods, and the namespace goes.
  const CommandResult deleted = cluster().kubectl({"delete", "namespace", ns, "--timeout=90s"});
  EXPECT_EQ(deleted.exit_code, 0) << output_of(deleted);
  const CommandResult gone = cluster().kubectl({"get", "namespace", ns});
  EXPECT_NE(gone.exit_code, 0) << output_of(gone);
}

// Image rules read every pod template: a Pod's, a Job's, a CronJob's job
// template, init containers too ("no-latest" holds in release-*).
TEST_F(Cluster, ImageRulesReadEveryPodTemplate) {
  const std::string ns = "release-doors";
  make_namespace(ns);
  const std::vector<GovernedRow> rows{
      {"a Pod", {"run", "latest-pod", "--image=nginx:latest", "-n", ns}, "latest-pod", {"Pin a version."}},
      {"an init container",
       {"create", "-f", "-"},
       "init-pod",
       {"Image nginx:latest is refused by image policy \"no-latest\""},
       pod("init-pod", ns, "nginx:1.25", "nginx:latest")},
      {"a Job", {"create", "job", "latest-job", "--image=nginx:latest", "-n", ns}, "latest-job", {"Pin a version."}},
      {"a CronJob",
       {"create", "cronjob", "latest-cron", "--image=nginx:latest", "--schedule=0 3 * * *", "-n", ns},
       "latest-cron",
       {"Pin a version."}},
  };
  for (const GovernedRow& row : rows) {
    expect_denied_and_reviewed(row);
  }
  const CommandResult pinned = cluster().kubectl(kDeveloper, {"run", "pinned", "--image=nginx:1.25", "-n", ns});
  EXPECT_EQ(pinned.exit_code, 0) << output_of(pinned);
}

// The two kinds of the cluster policy's settings.workloads (installed as CRDs
// by the environment): Argo Rollouts' shape (a Deployment's paths and a scale
// subresource) and one whose template lies elsewhere.  The rendered
// configuration sends their governed requests and skips the rest, through
// branches the real API server evaluates.
std::string rollout(const std::string& name, const std::string& ns, int replicas, const std::string& image) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: " + name + ", namespace: " + ns +
         ", labels: {app: " + name + "}}\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  template:\n    metadata: {labels: {app: " + name +
         "}}\n    spec:\n      containers: [{name: app, image: \"" + image + "\"}]\n";
}

std::string batch_run(const std::string& name, const std::string& ns, const std::string& image,
                      const std::string& note) {
  return "apiVersion: example.com/v1\nkind: BatchRun\nmetadata: {name: " + name + ", namespace: " + ns +
         ", labels: {app: " + name + "}}\nspec:\n  note: " + note +
         "\n  run:\n    podTemplate:\n      spec:\n        containers: [{name: app, image: \"" + image + "\"}]\n";
}

TEST_F(Cluster, ConfiguredWorkloadKindsAreGovernedAsDeploymentsAre) {
  const std::string ns = "frozen-rollouts";
  make_namespace(ns);
  admin_apply(
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: custom-workloads, namespace: " + ns +
      "}\nrules:\n  - {apiGroups: [argoproj.io, example.com], resources: [rollouts, rollouts/scale, "
      "batchruns], verbs: [\"*\"]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
      "metadata: {name: custom-workloads, namespace: " +
      ns +
      "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: custom-workloads}\n"
      "subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: dev}]\n---\n"
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: rollouts-controller, "
      "namespace: " +
      ns +
      "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
      "subjects: [{kind: ServiceAccount, name: argo-rollouts, namespace: argo-rollouts}]\n");
  admin_apply(rollout("shop", ns, 2, "nginx:1.25") + "---\n" + batch_run("nightly", ns, "nginx:1.25", "first"));
  const std::vector<GovernedRow> rows{
      {"a Rollout created",
       {"create", "-f", "-"},
       "new",
       {"deploy of Rollout frozen-rollouts/new is blocked by blackout window \"change-freeze\""},
       rollout("new", ns, 1, "nginx:1.25")},
      {"a Rollout's new image",
       {"apply", "-f", "-"},
       "shop",
       {"deploy of Rollout frozen-rollouts/shop is blocked"},
       rollout("shop", ns, 2, "nginx:1.26")},
      {"a Rollout scaled to 0 by its scale subresource",
       {"scale", "rollout.argoproj.io/shop", "--replicas=0", "-n", ns},
       "shop",
       {"hibernate of Rollout frozen-rollouts/shop is blocked"}},
      {"a Rollout deleted",
       {"delete", "rollout.argoproj.io/shop", "-n", ns, "--wait=false"},
       "shop",
       {"delete of Rollout frozen-rollouts/shop is blocked"}},
      {"a BatchRun's template, where its settings say it is",
       {"apply", "-f", "-"},
       "nightly",
       {"deploy of BatchRun frozen-rollouts/nightly is blocked"},
       batch_run("nightly", ns, "nginx:1.26", "first")},
  };
  for (const GovernedRow& row : rows) {
    expect_denied_and_reviewed(row);
  }
  // Not governed, so not sent: a label, a scale between non-zero counts, a
  // BatchRun field beside its template.
  const std::size_t shop_before = decisions_about(kDeveloper.user, "shop");
  const std::size_t nightly_before = decisions_about(kDeveloper.user, "nightly");
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"label", "rollout.argoproj.io/shop", "tier=front", "-n", ns},
        std::vector<std::string>{"scale", "rollout.argoproj.io/shop", "--replicas=3", "-n", ns}}) {
    const CommandResult result = cluster().kubectl(kDeveloper, arguments);
    EXPECT_EQ(result.exit_code, 0) << arguments[0] << ": " << output_of(result);
  }
  const CommandResult noted =
      cluster().kubectl(kDeveloper, {"apply", "-f", "-"}, batch_run("nightly", ns, "nginx:1.25", "second"));
  EXPECT_EQ(noted.exit_code, 0) << output_of(noted);
  expect_denied_and_reviewed(
      {"marker", {"apply", "-f", "-"}, "nightly", {}, batch_run("nightly", ns, "nginx:1.27", "x")});
  EXPECT_EQ(decisions_about(kDeveloper.user, "shop"), shop_before) << "an UPDATE that is not governed was sent";
  EXPECT_EQ(decisions_about(kDeveloper.user, "nightly"), nightly_before + 1)
      << "an UPDATE that is not governed was sent";
  // The Rollouts controller is trusted, as the Deployment controller is: it
  // makes the ReplicaSets of a rollout that began before the freeze.
  const CommandResult replicas =
      cluster().kubectl(Identity::impersonating("system:serviceaccount:argo-rollouts:argo-rollouts"),
                        {"apply", "-f", "-"}, workload("ReplicaSet", "shop-7d9c4b6f5", ns));
  EXPECT_EQ(replicas.exit_code, 0) << output_of(replicas);
}

}  // namespace
}  // namespace windowguard::testing
