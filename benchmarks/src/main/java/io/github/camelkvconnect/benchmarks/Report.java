package io.github.camelkvconnect.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The result table: one row per measure with the project's figure, openssl's, the ratio project/openssl and, where the
 * project has a target, whether it is met. Printed as a Markdown table so a run can be pasted into the docs.
 */
final class Report {

    /** Unknown figure (openssl missing, or an estimate that cannot be made). */
    static final double NONE = Double.NaN;

    /**
     * @param measure   what is compared
     * @param unit      of both figures
     * @param project   the project's figure
     * @param openssl   openssl's figure (or the reference it is compared with)
     * @param minRatio  target for project/openssl (higher is better); NaN = no target, the ratio is informative
     */
    record Row(String measure, String unit, double project, double openssl, double minRatio) {

        double ratio() {
            return project / openssl;
        }

        boolean hasTarget() {
            return !Double.isNaN(minRatio);
        }

        /** null if there is no target or no openssl figure to judge by. */
        Boolean met() {
            return !hasTarget() || Double.isNaN(ratio()) ? null : ratio() >= minRatio;
        }
    }

    private final List<String> header = new ArrayList<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    void header(String line) {
        header.add(line);
    }

    void row(String measure, String unit, double project, double openssl, double minRatio) {
        rows.add(new Row(measure, unit, project, openssl, minRatio));
    }

    void note(String line) {
        notes.add(line);
    }

    /** A wall-clock figure behind a row, printed after the notes. */
    void detail(String line) {
        details.add(line);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    void print(PrintStream out) {
        header.forEach(out::println);
        out.println();
        out.println("| measure | unit | project | openssl | project/openssl | target | met |");
        out.println("|---|---|---:|---:|---:|---:|---|");
        for (Row r : rows) {
            Boolean met = r.met();
            out.println("| " + r.measure() + " | " + r.unit() + " | " + number(r.project()) + " | " + number(r.openssl())
                        + " | " + ratio(r.ratio()) + " | " + (r.hasTarget() ? "≥ " + ratio(r.minRatio()) : "–") + " | "
                        + (met == null ? "–" : met ? "yes" : "**no**") + " |");
        }
        long judged = rows.stream().filter(r -> r.met() != null).count();
        long met = rows.stream().filter(r -> Boolean.TRUE.equals(r.met())).count();
        out.println();
        out.println("Targets met: " + met + " of " + judged + (judged < rows.stream().filter(Row::hasTarget).count()
                ? " (others cannot be judged without openssl)" : ""));
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("- " + n));
        }
        if (!details.isEmpty()) {
            out.println();
            out.println("Measured:");
            out.println();
            details.forEach(d -> out.println("- " + d));
        }
        out.flush();
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "n/a";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** "1 KiB", "100 MiB", "1500 B". */
    static String size(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
