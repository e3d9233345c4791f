package catalog.report;

import java.util.List;

/**
 * Renders the run's figures as one self-contained HTML page: inline CSS, timelines as inline SVG,
 * no script and no external asset, so the file can be mailed or archived as a CI artifact. The page
 * is also well-formed XML, which lets a plain XML parser check it in unit tests.
 */
final class HtmlReport {
    private HtmlReport() {}

    /**
     * The page opens with the failure catalogue and a sentence per chapter saying what it proved in
     * this run, so a learner knows where to look first; the other summary tables and every scenario follow.
     */
    static String render(List<Figures> scenarios, List<String> chapters, RunInfo run) {
        StringBuilder html = new StringBuilder(16384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .append("<title>Specification report</title><style>").append(STYLE).append("</style></head>\n<body>\n")
                .append("<h1>Specification report</h1>\n<p class=\"run\">").append(Markup.text(run.describe()))
                .append(" Every figure below was measured in this run.</p>\n");
        List<Figures.Table> summaries = SummaryTables.of(scenarios);
        summaries.stream().filter(SummaryTables::isCatalogue).forEach(summary -> summary(html, summary));
        if (!chapters.isEmpty()) {
            html.append("<h2>What each chapter proved in this run</h2>\n<ul class=\"chapters\">\n");
            chapters.forEach(sentence -> html.append("<li>").append(Markup.text(sentence)).append("</li>\n"));
            html.append("</ul>\n");
        }
        if (scenarios.isEmpty()) {
            html.append("<p>No scenario recorded figures in this run.</p>\n");
        } else {
            summaries.stream().filter(summary -> !SummaryTables.isCatalogue(summary)).forEach(summary -> summary(html, summary));
            contents(html, scenarios);
        }
        for (int i = 0; i < scenarios.size(); i++) {
            scenario(html, scenarios.get(i), i + 1);
        }
        return html.append("</body></html>\n").toString();
    }

    private static void summary(StringBuilder html, Figures.Table summary) {
        html.append("<h2>").append(Markup.text(summary.title())).append("</h2>\n");
        table(html, summary);
    }

    private static void contents(StringBuilder html, List<Figures> scenarios) {
        html.append("<nav><ol>\n");
        for (int i = 0; i < scenarios.size(); i++) {
            Figures s = scenarios.get(i);
            html.append("<li><a href=\"#s").append(i + 1).append("\">").append(Markup.text(s.scenario())).append("</a>")
                    .append(badge(s.outcome())).append("</li>\n");
        }
        html.append("</ol></nav>\n");
    }

    private static void scenario(StringBuilder html, Figures scenario, int number) {
        html.append("<section id=\"s").append(number).append("\">\n<h2>").append(Markup.text(scenario.scenario()))
                .append(badge(scenario.outcome())).append("</h2>\n");
        if (!scenario.figures().isEmpty()) {
            html.append("<table class=\"figures\"><thead><tr><th>figure</th><th>value</th></tr></thead><tbody>\n");
            for (Figures.Figure f : scenario.figures()) {
                html.append("<tr><td>").append(Markup.text(f.name())).append("</td><td class=\"num\">")
                        .append(Markup.text(Quantity.withUnit(f.value(), f.unit()))).append("</td></tr>\n");
            }
            html.append("</tbody></table>\n");
        }
        for (Figures.Table t : scenario.tables()) {
            table(html, t);
        }
        for (String note : scenario.notes()) {
            html.append("<p class=\"note\">").append(Markup.text(note)).append("</p>\n");
        }
        for (Timeline timeline : scenario.timelines()) {
            html.append("<figure>").append(TimelineSvg.render(timeline)).append("</figure>\n");
        }
        html.append("</section>\n");
    }

    private static void table(StringBuilder html, Figures.Table t) {
        html.append("<table><caption>").append(Markup.text(t.title())).append("</caption><thead><tr>");
        t.header().forEach(h -> html.append("<th>").append(Markup.text(h)).append("</th>"));
        html.append("</tr></thead><tbody>\n");
        for (List<String> row : t.rows()) {
            html.append("<tr>");
            row.forEach(c -> html.append("<td>").append(cell(c)).append("</td>"));
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
    }

    private static String cell(String text) {
        return Markup.isHistoryVisualization(text)
                ? "<a href=\"" + Markup.text(text) + "\">" + Markup.text(text) + "</a>" : Markup.text(text);
    }

    private static String badge(Outcome outcome) {
        return switch (outcome) {
            case PASSED -> " <span class=\"badge passed\">passed</span>";
            case FAILED -> " <span class=\"badge failed\">failed: figures suspect</span>";
            case ABORTED -> " <span class=\"badge failed\">aborted</span>";
            case UNKNOWN -> "";
        };
    }

    private static final String STYLE = """
            body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;margin:24px auto;max-width:1240px;\
            padding:0 16px;color:#1f2328;line-height:1.45}
            h1{font-size:26px;margin-bottom:4px}h2{font-size:19px;margin-top:34px;border-bottom:1px solid #d0d7de;\
            padding-bottom:4px}
            .run{color:#57606a}nav ol{padding-left:22px}nav a{color:#0969da;text-decoration:none}
            table{border-collapse:collapse;margin:12px 0 18px;font-size:14px}
            caption{text-align:left;font-weight:bold;padding-bottom:6px}
            th,td{border:1px solid #d0d7de;padding:5px 10px;text-align:left;vertical-align:top}
            th{background:#f6f8fa}tbody tr:nth-child(even){background:#fafbfc}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .note{background:#f6f8fa;border-left:4px solid #8c959f;padding:8px 12px;white-space:pre-wrap}
            figure{margin:14px 0;overflow-x:auto}figure svg{max-width:100%;height:auto;border:1px solid #d0d7de}
            .badge{font-size:12px;padding:2px 8px;border-radius:10px;vertical-align:middle;margin-left:6px}
            .passed{background:#dafbe1;color:#116329}.chapters li{margin:4px 0}.failed{background:#ffebe9;color:#a40e26}
            """;
}
