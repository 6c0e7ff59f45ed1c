package dev.portcullis.console.review;

import java.util.ArrayList;
import java.util.List;

/**
 * Re-checks a CSV before the console hands it to a spreadsheet: every cell is re-quoted (RFC 4180), and a cell that
 * would be read as a formula (starting with {@code = + - @}, tab or carriage return) gets a leading {@code '}.
 * policy-service already writes its cells that way; this keeps the download safe whatever the upstream wrote.
 */
public final class CsvCells {

    private CsvCells() {
    }

    public static String formulaSafe(String csv) {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows(csv)) {
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(quoted(safe(row.get(i))));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static String safe(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static String quoted(String cell) {
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    /** RFC 4180 rows: quoted cells may hold commas, quotes (doubled) and line breaks. */
    static List<List<String>> rows(String csv) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    row.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                }
                case '\r' -> {
                    // part of a CRLF line end
                }
                case '\n' -> {
                    row.add(cell.toString());
                    rows.add(row);
                    row = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                }
                default -> {
                    cell.append(c);
                    any = true;
                }
            }
        }
        if (any || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
