package catalog.report;

/**
 * The one place where text from a run (scenario names, error messages, table cells) is made safe
 * for HTML and SVG: a display name such as {@code "<b> & co"} must show as typed, never as markup.
 */
final class Markup {
    private Markup() {}

    /** Escapes text for element content and for quoted attribute values alike. */
    static String text(String raw) {
        StringBuilder out = new StringBuilder(raw.length() + 16);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters other than tab/newline are not allowed in XML (SVG files).
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * A cell naming a history's visualization beside the report (histories/NAME.html, written by the
     * checker for a history it rejected), which the reports turn into a link; nothing else is linked.
     */
    static boolean isHistoryVisualization(String cell) {
        return cell.matches("histories/[A-Za-z0-9._-]+\\.html");
    }
}
