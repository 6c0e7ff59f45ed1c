package dev.portcullis.deploy.render;

import java.util.Map;

/** One rendered Kubernetes object, as parsed from YAML (maps, lists, scalars). */
public record KubeObject(Map<String, Object> content) {

    public String apiVersion() {
        return String.valueOf(content.get("apiVersion"));
    }

    public String kind() {
        return String.valueOf(content.get("kind"));
    }

    /** The API group ("" for the core group). */
    public String group() {
        String apiVersion = apiVersion();
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** The version part of apiVersion. */
    public String version() {
        String apiVersion = apiVersion();
        return apiVersion.substring(apiVersion.indexOf('/') + 1);
    }

    public String name() {
        return String.valueOf(metadata().get("name"));
    }

    /** The namespace, or null for cluster-scoped objects (and objects that leave it to kubectl). */
    public String namespace() {
        Object namespace = metadata().get("namespace");
        return namespace == null ? null : namespace.toString();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        Object metadata = content.get("metadata");
        return metadata instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** "Kind namespace/name", how findings name the object. */
    public String id() {
        return kind() + " " + (namespace() == null ? "" : namespace() + "/") + name();
    }
}
