package dev.portcullis.lock.protocol;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A firmware version as manifests carry it: 1 to 4 dot-separated numbers of at most 9 digits each, no
 * leading zeros ("2.4.1"). Ordered numerically part by part; missing parts count as 0, so "2.4" equals
 * "2.4.0".
 */
public record FirmwareVersion(int[] parts) implements Comparable<FirmwareVersion> {

    private static final Pattern FORMAT = Pattern.compile("(0|[1-9][0-9]{0,8})(\\.(0|[1-9][0-9]{0,8})){0,3}");

    public FirmwareVersion {
        parts = parts.clone();
    }

    /** @throws IllegalArgumentException when the text is not a dotted numeric version */
    public static FirmwareVersion parse(String text) {
        if (text == null || !FORMAT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a firmware version (1 to 4 dot-separated numbers, e.g. 2.4.1)");
        }
        return new FirmwareVersion(Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray());
    }

    public static boolean isValid(String text) {
        return text != null && FORMAT.matcher(text).matches();
    }

    @Override
    public int compareTo(FirmwareVersion other) {
        for (int i = 0; i < 4; i++) {
            int a = i < parts.length ? parts[i] : 0;
            int b = i < other.parts.length ? other.parts[i] : 0;
            if (a != b) {
                return Integer.compare(a, b);
            }
        }
        return 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FirmwareVersion version && compareTo(version) == 0;
    }

    @Override
    public int hashCode() {
        int[] padded = Arrays.copyOf(parts, 4);
        return Arrays.hashCode(padded);
    }

    @Override
    public String toString() {
        return String.join(".", Arrays.stream(parts).mapToObj(Integer::toString).toList());
    }
}
