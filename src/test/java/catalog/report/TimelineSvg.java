package catalog.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Draws a {@link Timeline} as a standalone SVG: one lane per request kind (reads, writes), each
 * request a dot at its start time whose height is its latency (log scale), green when it succeeded
 * and a red square when it failed, with a faint line for as long as it lasted; the scenario's
 * moments (kill, promotion, rejoin) are dashed vertical lines across all lanes.
 */
final class TimelineSvg {
    static final int WIDTH = 1200;
    private static final int LEFT = 190;
    private static final int RIGHT = 30;
    private static final int TOP = 78;
    private static final int LANE_HEIGHT = 150;
    private static final int LANE_GAP = 26;
    private static final int AXIS = 46;
    private static final int LEGEND = 30;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    private static final String OK = "#2e7d32";
    private static final String FAILED = "#c62828";
    private static final double[] SECOND_STEPS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};

    private final Timeline timeline;
    private final List<Timeline.Request> requests;
    private final List<Timeline.Mark> marks;
    private final List<String> lanes;
    private final double endMillis;
    private final double topLatencyMillis;

    private TimelineSvg(Timeline timeline) {
        this.timeline = timeline;
        this.requests = timeline.requests();
        this.marks = timeline.marks().stream().sorted(Comparator.comparingLong(Timeline.Mark::atMillis)).toList();
        this.lanes = requests.stream().map(Timeline.Request::lane).distinct().sorted().toList();
        long lastEnd = requests.stream().mapToLong(r -> r.startMillis() + r.durationMillis()).max().orElse(0);
        long lastMark = marks.stream().mapToLong(Timeline.Mark::atMillis).max().orElse(0);
        this.endMillis = Math.max(1000, Math.max(lastEnd, lastMark) * 1.02);
        long slowest = requests.stream().mapToLong(Timeline.Request::durationMillis).max().orElse(0);
        // Decades from 1 ms up to at least 1 s, so that fast and hung requests both stay readable.
        this.topLatencyMillis = Math.pow(10, Math.max(3, Math.ceil(Math.log10(Math.max(1, slowest)))));
    }

    static String render(Timeline timeline) {
        return new TimelineSvg(timeline).svg();
    }

    private String svg() {
        int laneCount = Math.max(1, lanes.size());
        int plotBottom = TOP + laneCount * LANE_HEIGHT + (laneCount - 1) * LANE_GAP;
        int height = plotBottom + AXIS + LEGEND;
        StringBuilder svg = new StringBuilder(8192 + requests.size() * 64);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"12\""
                        + " role=\"img\" aria-label=\"%s\">\n",
                WIDTH, height, WIDTH, height, Markup.text(timeline.title())));
        svg.append("<title>").append(Markup.text(timeline.title())).append("</title>\n");
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\">%s</text>\n",
                LEFT, Markup.text(timeline.title())));
        if (lanes.isEmpty()) {
            laneBackground(svg, "no requests recorded", "", TOP);
        }
        for (int i = 0; i < lanes.size(); i++) {
            lane(svg, lanes.get(i), TOP + i * (LANE_HEIGHT + LANE_GAP));
        }
        timeAxis(svg, plotBottom);
        marks(svg, plotBottom);
        legend(svg, plotBottom + AXIS + 16);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void lane(StringBuilder svg, String lane, int top) {
        List<Timeline.Request> inLane = requests.stream().filter(r -> r.lane().equals(lane)).toList();
        long failed = inLane.stream().filter(r -> !r.ok()).count();
        laneBackground(svg, lane, String.format(Locale.ROOT, "%d requests, %d failed", inLane.size(), failed), top);
        if (!inLane.isEmpty()) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" fill=\"#555\" font-size=\"11\">p50 %s, max %s</text>\n",
                    8, top + 52, Quantity.millis(percentile(inLane, 0.50)), Quantity.millis(percentile(inLane, 1.0))));
        }
        // Successes first, failures on top: a failure must never hide behind a success.
        requestGroup(svg, inLane, true, top);
        requestGroup(svg, inLane, false, top);
    }

    private void laneBackground(StringBuilder svg, String name, String summary, int top) {
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f7f9\" stroke=\"#d0d4da\"/>\n",
                LEFT, top, PLOT_WIDTH, LANE_HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
                top + 18, Markup.text(name)));
        svg.append(String.format(Locale.ROOT, "<text x=\"8\" y=\"%d\" fill=\"#555\" font-size=\"11\">%s</text>\n",
                top + 36, Markup.text(summary)));
        for (double tick = 1; tick <= topLatencyMillis; tick *= 10) {
            double y = latencyY(tick, top);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e1e4e8\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" fill=\"#666\" font-size=\"10\" text-anchor=\"end\">%s</text>\n",
                    LEFT, y, LEFT + PLOT_WIDTH, y, LEFT - 4, y + 3, tick == 1 ? "\u2264" + Quantity.millis(tick) : Quantity.millis(tick)));
        }
    }

    private void requestGroup(StringBuilder svg, List<Timeline.Request> inLane, boolean ok, int top) {
        String colour = ok ? OK : FAILED;
        svg.append(String.format(Locale.ROOT,
                "<g class=\"%s\" fill=\"%s\" stroke=\"%s\" fill-opacity=\"0.6\" stroke-opacity=\"0.35\">\n",
                ok ? "ok" : "failed", colour, colour));
        for (Timeline.Request r : inLane) {
            if (r.ok() != ok) {
                continue;
            }
            double x = timeX(r.startMillis());
            double y = latencyY(r.durationMillis(), top);
            double end = timeX(r.startMillis() + r.durationMillis());
            if (end - x >= 3) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y, end, y));
            }
            if (ok) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" stroke=\"none\"/>\n", x, y));
            } else {
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"5\" height=\"5\" stroke=\"none\"/>\n", x - 2.5, y - 2.5));
            }
        }
        svg.append("</g>\n");
    }

    private void timeAxis(StringBuilder svg, int plotBottom) {
        double stepSeconds = SECOND_STEPS[SECOND_STEPS.length - 1];
        for (double candidate : SECOND_STEPS) {
            if (endMillis / 1000 / candidate <= 12) {
                stepSeconds = candidate;
                break;
            }
        }
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
                LEFT, plotBottom, LEFT + PLOT_WIDTH, plotBottom));
        for (int i = 0; i * stepSeconds * 1000 <= endMillis; i++) {
            double x = timeX(i * stepSeconds * 1000);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s s</text>\n",
                    x, plotBottom, x, plotBottom + 5, x, plotBottom + 18, Quantity.format(i * stepSeconds)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">seconds since the scenario started"
                        + " (dot: request start; height: latency, log scale)</text>\n",
                LEFT + PLOT_WIDTH / 2, plotBottom + 36));
    }

    private void marks(StringBuilder svg, int plotBottom) {
        // Labels that would overlap move to a second or third row above the lanes.
        TreeMap<Integer, Double> rowEnds = new TreeMap<>();
        for (Timeline.Mark mark : marks) {
            double x = timeX(mark.atMillis());
            String label = mark.label() + " " + Quantity.format(Math.round(mark.atMillis() / 100.0) / 10.0) + " s";
            double labelWidth = label.length() * 6.6;
            int row = 0;
            while (rowEnds.getOrDefault(row, Double.NEGATIVE_INFINITY) > x - labelWidth / 2 - 4 && row < 2) {
                row++;
            }
            rowEnds.put(row, x + labelWidth / 2);
            String colour = markColour(mark.label());
            int labelY = TOP - 8 - row * 15;
            svg.append(String.format(Locale.ROOT,
                    "<g class=\"mark\"><title>%s</title><line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\""
                            + " stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"
                            + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\" font-weight=\"bold\">%s</text></g>\n",
                    Markup.text(label), x, labelY + 4, x, plotBottom, colour, x, labelY, colour, Markup.text(label)));
        }
    }

    private void legend(StringBuilder svg, int y) {
        svg.append(String.format(Locale.ROOT,
                "<g font-size=\"11\"><circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">succeeded</text>"
                        + "<rect x=\"%d\" y=\"%d\" width=\"7\" height=\"7\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">failed</text>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>"
                        + "<text x=\"%d\" y=\"%d\">event (kill, promotion, rejoin, ...)</text></g>\n",
                LEFT + 4, y - 4, OK, LEFT + 12, y,
                LEFT + 100, y - 8, FAILED, LEFT + 112, y,
                LEFT + 170, y - 4, LEFT + 200, y - 4, LEFT + 206, y));
    }

    private double timeX(double millis) {
        return LEFT + millis / endMillis * PLOT_WIDTH;
    }

    private double latencyY(double millis, int laneTop) {
        double decades = Math.log10(topLatencyMillis);
        double position = Math.log10(Math.max(1, millis)) / decades;
        return laneTop + LANE_HEIGHT - 8 - position * (LANE_HEIGHT - 16);
    }

    private static double percentile(List<Timeline.Request> inLane, double p) {
        List<Long> sorted = new ArrayList<>(inLane.stream().map(Timeline.Request::durationMillis).sorted().toList());
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String markColour(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        if (l.contains("unpause") || l.contains("resume")) {
            return "#2e7d32";
        }
        if (l.contains("kill") || l.contains("pause") || l.contains("stop") || l.contains("down") || l.contains("cut")) {
            return "#b71c1c";
        }
        if (l.contains("promot") || l.contains("leader")) {
            return "#1565c0";
        }
        if (l.contains("rejoin") || l.contains("start") || l.contains("back") || l.contains("heal")) {
            return "#2e7d32";
        }
        return "#6a1b9a";
    }
}
