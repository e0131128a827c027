#pragma once
// The two settings.workloads kinds the tests use: Argo Rollouts' (a
// Deployment's paths and a scale subresource) and one whose pod template
// lies elsewhere.
#include "core/governed_resources.hpp"

namespace windowguard::testing {

inline core::GovernedResource argo_rollouts() {
  return {"argoproj.io",        "v1alpha1",           "rollouts", "Rollout", core::ResourceShape::Workload,
          {"spec", "template"}, {"spec", "replicas"}, true};
}

inline core::GovernedResource batch_runs() {
  return {
      "example.com", "v1", "batchruns", "BatchRun", core::ResourceShape::Workload, {"spec", "run", "podTemplate"}, {},
      false};
}

}  // namespace windowguard::testing
