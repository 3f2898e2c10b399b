"""The official Kubernetes Python client against the Image Stream Console.

Run by server/tests/kubectl.rs with the kubeconfig path and project name;
any failed assertion exits non-zero with the reason.
"""

import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

GROUP, VERSION, PLURAL = "image.openshift.io", "v1", "imagestreams"


def stream(name, tag_from):
    # A reference tag: never imported, so no import result changes the
    # stream while the watch below counts its events.
    return {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": "ImageStream",
        "metadata": {"name": name, "labels": {"made-by": "python"}},
        "spec": {
            "tags": [{"name": "latest", "reference": True, "from": {"kind": "DockerImage", "name": tag_from}}]
        },
    }


def main(kubeconfig, namespace):
    config.load_kube_config(config_file=kubeconfig)
    api = client.CustomObjectsApi()

    listed = api.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)
    names = [item["metadata"]["name"] for item in listed["items"]]
    assert "ruby" in names, names
    version = listed["metadata"]["resourceVersion"]

    dry = api.create_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, stream("py-dry", "quay.io/a/b:1"), dry_run="All"
    )
    assert dry["metadata"]["name"] == "py-dry", dry
    try:
        api.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, "py-dry")
        raise AssertionError("a dry run must not create the stream")
    except ApiException as error:
        assert error.status == 404, error

    api.create_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, stream("py", "quay.io/a/b:1"))
    patched = api.patch_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, "py", {"metadata": {"labels": {"stage": "patched"}}}
    )
    assert patched["metadata"]["labels"] == {"made-by": "python", "stage": "patched"}, patched

    # Server-side apply, as Python automation sends it: the applier is
    # recorded as owning the label it applied.
    applied = api.patch_namespaced_custom_object(
        GROUP,
        VERSION,
        namespace,
        PLURAL,
        "py",
        {"apiVersion": f"{GROUP}/{VERSION}", "kind": "ImageStream", "metadata": {"name": "py", "labels": {"applied-by": "python"}}},
        field_manager="python-apply",
        _content_type="application/apply-patch+yaml",
    )
    assert applied["metadata"]["labels"]["applied-by"] == "python", applied
    owners = [(entry["manager"], entry["operation"]) for entry in applied["metadata"]["managedFields"]]
    assert ("python-apply", "Apply") in owners, owners

    # ImageStreamTags: made from the image another tag has, patched, deleted.
    tags = "imagestreamtags"
    source = api.get_namespaced_custom_object(GROUP, VERSION, namespace, tags, "api:2.0")
    digest = source["image"]["metadata"]["name"]
    made = api.create_namespaced_custom_object(
        GROUP,
        VERSION,
        namespace,
        tags,
        {
            "apiVersion": f"{GROUP}/{VERSION}",
            "kind": "ImageStreamTag",
            "metadata": {"name": "py-tags:copy"},
            "tag": {"from": {"kind": "ImageStreamImage", "name": f"api@{digest}"}},
        },
    )
    assert made["image"]["metadata"]["name"] == digest, made
    noted = api.patch_namespaced_custom_object(
        GROUP, VERSION, namespace, tags, "py-tags:copy", {"metadata": {"annotations": {"note": "python"}}}
    )
    assert noted["metadata"]["annotations"] == {"note": "python"}, noted
    api.delete_namespaced_custom_object(GROUP, VERSION, namespace, tags, "py-tags:copy")
    try:
        api.get_namespaced_custom_object(GROUP, VERSION, namespace, tags, "py-tags:copy")
        raise AssertionError("the tag was deleted")
    except ApiException as error:
        assert error.status == 404, error

    selected = api.list_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, label_selector="made-by=python,stage in (patched)"
    )
    assert [i["metadata"]["name"] for i in selected["items"]] == ["py"], selected

    first = api.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, limit=1)
    assert len(first["items"]) == 1 and first["metadata"].get("continue"), first["metadata"]
    rest = api.list_namespaced_custom_object(
        GROUP, VERSION, namespace, PLURAL, limit=100, _continue=first["metadata"]["continue"]
    )
    paged = [i["metadata"]["name"] for i in first["items"] + rest["items"]]
    everything = api.list_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL)
    assert paged == [i["metadata"]["name"] for i in everything["items"]], paged

    api.delete_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, "py")

    # Every change since the first list, in order, as the watch replays them.
    # (Generous: on PostgreSQL a rolled-back write's change id holds the log
    # back for up to 10 seconds, as a transaction still committing would.)
    seen = []
    watcher = watch.Watch()
    for event in watcher.stream(
        api.list_namespaced_custom_object,
        GROUP,
        VERSION,
        namespace,
        PLURAL,
        resource_version=version,
        timeout_seconds=40,
    ):
        name = event["object"]["metadata"]["name"]
        if name == "py":
            seen.append(event["type"])
        if seen == ["ADDED", "MODIFIED", "MODIFIED", "DELETED"]:
            watcher.stop()
    assert seen == ["ADDED", "MODIFIED", "MODIFIED", "DELETED"], seen
    print("python client: ok")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
