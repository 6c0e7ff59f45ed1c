package dev.portcullis.registry.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: comma-separated fields, optionally in double quotes ("" inside quotes is one quote, quoted
 * fields may span lines), CRLF or LF line ends, an optional UTF-8 byte order mark. Blank lines are skipped.
 */
final class Csv {

    /** One record and the line of the file it starts on (1-based). */
    record Line(int number, List<String> fields) {
    }

    static final class MalformedCsvException extends Exception {
        final int line;

        MalformedCsvException(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private Csv() {
    }

    static List<Line> parse(String text) throws MalformedCsvException {
        List<Line> lines = new ArrayList<>();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        while (i < text.length()) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i < text.length() && text.charAt(i) == '"' && field.isEmpty()) {
                    i++;
                    while (true) {
                        if (i >= text.length()) {
                            throw new MalformedCsvException(start, "a quoted field is not closed");
                        }
                        char c = text.charAt(i++);
                        if (c == '"') {
                            if (i < text.length() && text.charAt(i) == '"') {
                                field.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                        }
                    }
                    if (i < text.length() && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                        throw new MalformedCsvException(line, "text after a closing quote");
                    }
                }
                if (i >= text.length()) {
                    fields.add(field.toString());
                    endOfRecord = true;
                    continue;
                }
                char c = text.charAt(i++);
                if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i < text.length() && text.charAt(i) == '\n') {
                        i++;
                    }
                    fields.add(field.toString());
                    line++;
                    endOfRecord = true;
                } else if (c == '"') {
                    throw new MalformedCsvException(line, "a quote inside an unquoted field");
                } else {
                    field.append(c);
                }
            }
            if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
                lines.add(new Line(start, fields));
            }
        }
        return lines;
    }
}
