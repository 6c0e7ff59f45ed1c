package dev.portcullis.deploy.schema;

import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.render.Kustomize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Custom resources against the structural OpenAPI v3 schemas of their CustomResourceDefinitions (vendored
 * under k8s/crds): types, required fields, enums, numeric bounds, string patterns, and unknown fields, which
 * are an error here (the API server would silently prune them) unless the schema preserves unknown fields.
 * {@code oneOf}/{@code anyOf}/{@code x-kubernetes-validations} (CEL) are not evaluated.
 */
public final class CrdSchemas {

    public static final String CHECK = "crd-schema";

    /** "group/version/Kind" to that version's openAPIV3Schema. */
    private final Map<String, Map<String, Object>> schemas;

    private CrdSchemas(Map<String, Map<String, Object>> schemas) {
        this.schemas = schemas;
    }

    /** Every CustomResourceDefinition in the YAML files of {@code directory}. */
    public static CrdSchemas load(Path directory) {
        Map<String, Map<String, Object>> schemas = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (KubeObject crd : Kustomize.parse(Files.readString(file))) {
                    if (!"CustomResourceDefinition".equals(crd.kind())) {
                        continue;
                    }
                    Map<String, Object> spec = map(crd.content().get("spec"));
                    String kind = String.valueOf(map(spec.get("names")).get("kind"));
                    for (Object version : list(spec.get("versions"))) {
                        Map<String, Object> v = map(version);
                        Map<String, Object> schema = map(map(v.get("schema")).get("openAPIV3Schema"));
                        if (Boolean.TRUE.equals(v.get("served")) && !schema.isEmpty()) {
                            schemas.put(spec.get("group") + "/" + v.get("name") + "/" + kind, schema);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new CrdSchemas(schemas);
    }

    public boolean covers(KubeObject object) {
        return schemas.containsKey(key(object));
    }

    public List<Violation> validate(List<KubeObject> objects) {
        List<Violation> violations = new ArrayList<>();
        for (KubeObject object : objects) {
            Map<String, Object> schema = schemas.get(key(object));
            if (schema != null) {
                List<String> problems = new ArrayList<>();
                Map<String, Object> content = new HashMap<>(object.content());
                // apiVersion, kind and metadata are the API server's (checked with the core kinds' rules).
                content.remove("apiVersion");
                content.remove("kind");
                content.remove("metadata");
                Map<String, Object> body = new HashMap<>(schema);
                Map<String, Object> properties = new HashMap<>(map(schema.get("properties")));
                properties.remove("apiVersion");
                properties.remove("kind");
                properties.remove("metadata");
                body.put("properties", properties);
                body.put("required", list(schema.get("required")).stream()
                        .filter(field -> !List.of("apiVersion", "kind", "metadata").contains(String.valueOf(field))).toList());
                check(body, content, "", problems);
                problems.forEach(problem -> violations.add(new Violation(object.id(), CHECK, problem)));
            }
        }
        return violations;
    }

    private static String key(KubeObject object) {
        return object.group() + "/" + object.version() + "/" + object.kind();
    }

    private static void check(Map<String, Object> schema, Object value, String path, List<String> problems) {
        String at = path.isEmpty() ? "." : path;
        if (value == null) {
            if (!Boolean.TRUE.equals(schema.get("nullable"))) {
                problems.add(at + ": null is not allowed");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(isInteger(value) || value instanceof String)) {
                problems.add(at + ": expected an integer or a string, got " + describe(value));
            }
            return;
        }
        Object type = schema.get("type");
        if (type != null && !hasType(String.valueOf(type), value)) {
            problems.add(at + ": expected " + type + ", got " + describe(value));
            return;
        }
        Object enumeration = schema.get("enum");
        if (enumeration instanceof List<?> allowed && allowed.stream().noneMatch(a -> String.valueOf(a).equals(String.valueOf(value)))) {
            problems.add(at + ": " + value + " is not one of " + allowed);
        }
        if (value instanceof Number number) {
            if (schema.get("minimum") instanceof Number min && number.doubleValue() < min.doubleValue()) {
                problems.add(at + ": " + number + " is below the minimum " + min);
            }
            if (schema.get("maximum") instanceof Number max && number.doubleValue() > max.doubleValue()) {
                problems.add(at + ": " + number + " is above the maximum " + max);
            }
        }
        if (value instanceof String string && schema.get("pattern") instanceof String pattern) {
            try {
                if (!Pattern.compile(pattern).matcher(string).find()) {
                    problems.add(at + ": \"" + string + "\" does not match " + pattern);
                }
            } catch (PatternSyntaxException notJavaSyntax) {
                // an ECMA-only pattern: left to the API server
            }
        }
        if (value instanceof Map<?, ?> object) {
            checkObject(schema, map(object), path, problems);
        } else if (value instanceof List<?> items && schema.get("items") instanceof Map<?, ?> itemSchema) {
            for (int i = 0; i < items.size(); i++) {
                check(map(itemSchema), items.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkObject(Map<String, Object> schema, Map<String, Object> object, String path, List<String> problems) {
        for (Object required : list(schema.get("required"))) {
            if (!object.containsKey(String.valueOf(required))) {
                problems.add((path.isEmpty() ? "." : path) + ": missing required field " + required);
            }
        }
        Map<String, Object> properties = map(schema.get("properties"));
        Object additional = schema.get("additionalProperties");
        boolean preserveUnknown = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"));
        for (Map.Entry<String, Object> field : object.entrySet()) {
            String fieldPath = path + "." + field.getKey();
            if (properties.containsKey(field.getKey())) {
                check(map(properties.get(field.getKey())), field.getValue(), fieldPath, problems);
            } else if (additional instanceof Map<?, ?> valueSchema) {
                check(map(valueSchema), field.getValue(), fieldPath, problems);
            } else if (!preserveUnknown && !Boolean.TRUE.equals(additional)) {
                problems.add(fieldPath + ": unknown field");
            }
        }
    }

    private static boolean hasType(String type, Object value) {
        return switch (type) {
            case "object" -> value instanceof Map<?, ?>;
            case "array" -> value instanceof List<?>;
            case "string" -> value instanceof String;
            case "integer" -> isInteger(value);
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> true;
        };
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
    }

    private static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        return value.getClass().getSimpleName().toLowerCase() + " " + (value instanceof String ? "\"" + value + "\"" : value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }
}
