#!/usr/bin/env python3
"""Generates bench/data/review-{4k,30k,200k}.json: UPDATE AdmissionReviews
(a `kubectl set image`) of kubectl-made Deployments, grown the way real ones
grow: more containers, environment variables, a last-applied-configuration
annotation and managedFields.  And bench/data/review-pod-*.json: the same
`kubectl set image` on a bare Pod that runs the Deployment's pod template,
with the same metadata, so that a Pod's review and a Deployment's compare
like for like.  Run from the repository root:
    python3 bench/make_reviews.py"""
import copy
import json
import os
import subprocess

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def kubectl_deployment(containers):
    obj = json.loads(subprocess.run(
        ["kubectl", "create", "deployment", "checkout", "--image=nginx:1.25", "--replicas=3", "-n", "prod-eu-1",
         "--dry-run=client", "-o", "json"], capture_output=True, text=True, check=True).stdout)
    template = obj["spec"]["template"]["spec"]["containers"][0]
    obj["spec"]["template"]["spec"]["containers"] = []
    for index in range(containers):
        container = copy.deepcopy(template)
        container["name"] = f"container-{index}"
        container["image"] = f"registry.example.com/team/service-{index}:1.{index}.0"
        container["env"] = [{"name": f"SETTING_{index}_{n}", "value": f"value-{n}-" + "x" * 24} for n in range(12)]
        container["ports"] = [{"containerPort": 8080 + index, "protocol": "TCP"}]
        container["resources"] = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"memory": "256Mi"}}
        obj["spec"]["template"]["spec"]["containers"].append(container)
    return obj


def stored(obj, generation):
    obj = copy.deepcopy(obj)
    meta = obj["metadata"]
    meta.update({"uid": "6f1c1a39-0000-4000-8000-00000000beef", "resourceVersion": "987654",
                 "generation": generation, "creationTimestamp": "2024-05-01T10:00:00Z"})
    meta["labels"]["app.kubernetes.io/name"] = "checkout"
    meta.setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(obj)
    meta["managedFields"] = [{
        "manager": "kubectl-client-side-apply", "operation": "Update", "apiVersion": "apps/v1",
        "time": "2024-05-01T10:00:00Z", "fieldsType": "FieldsV1",
        "fieldsV1": {"f:spec": {"f:template": {"f:spec": {"f:containers": {
            f'k:{{"name":"container-{i}"}}': {".": {}, "f:env": {f'k:{{"name":"SETTING_{i}_{n}"}}': {".": {}, "f:value": {}}
                                                              for n in range(12)}, "f:image": {}}
            for i in range(len(obj["spec"]["template"]["spec"]["containers"]))}}}}}}]
    obj["status"] = {"replicas": 3, "readyReplicas": 3, "availableReplicas": 3, "observedGeneration": generation}
    return obj


def review(containers):
    old = stored(kubectl_deployment(containers), 1)
    new = copy.deepcopy(old)
    new["metadata"]["generation"] = 2
    new["spec"]["template"]["spec"]["containers"][0]["image"] = "registry.example.com/team/service-0:1.0.1"
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "bench-0001", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "requestKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "requestResource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "name": "checkout", "namespace": "prod-eu-1", "operation": "UPDATE",
        "userInfo": {"username": "argocd", "uid": "uid-argocd",
                     "groups": ["system:serviceaccounts", "system:serviceaccounts:argocd", "system:authenticated"]},
        "object": new, "oldObject": old, "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "UpdateOptions", "fieldManager": "argocd-controller"}}}


def as_pod(deployment):
    """A bare Pod running the Deployment's template, with its metadata."""
    meta = copy.deepcopy(deployment["metadata"])
    meta["name"] = "checkout-7d9c4b6f5-x2x7k"
    meta["labels"].update(deployment["spec"]["template"]["metadata"]["labels"])
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta,
            "spec": copy.deepcopy(deployment["spec"]["template"]["spec"]),
            "status": {"phase": "Running"}}


def pod_review(deployment_review):
    body = copy.deepcopy(deployment_review)
    request = body["request"]
    request["object"] = as_pod(request["object"])
    request["oldObject"] = as_pod(request["oldObject"])
    request["name"] = request["object"]["metadata"]["name"]
    for field in ("kind", "requestKind"):
        request[field] = {"group": "", "version": "v1", "kind": "Pod"}
    for field in ("resource", "requestResource"):
        request[field] = {"group": "", "version": "v1", "resource": "pods"}
    return body


def main():
    os.makedirs(OUT, exist_ok=True)
    for label, containers in (("4k", 0), ("30k", 5), ("200k", 33)):
        body = json.dumps(review(containers) if containers else review(1), separators=(",", ":"))
        if label == "4k":  # the smallest: one container without the grown parts
            small = review(1)
            for obj in (small["request"]["object"], small["request"]["oldObject"]):
                obj["metadata"].pop("managedFields")
                obj["metadata"]["annotations"].pop("kubectl.kubernetes.io/last-applied-configuration")
            body = json.dumps(small, separators=(",", ":"))
        with open(os.path.join(OUT, f"review-{label}.json"), "w") as file:
            file.write(body)
        print(f"review-{label}.json: {len(body)} bytes")
        pod_body = json.dumps(pod_review(json.loads(body)), separators=(",", ":"))
        with open(os.path.join(OUT, f"review-pod-{label}.json"), "w") as file:
            file.write(pod_body)
        print(f"review-pod-{label}.json: {len(pod_body)} bytes")


if __name__ == "__main__":
    main()
