package catalog.cache;

import catalog.ApiClient;

/** Reads one sample from the API's /metrics, as a monitoring system would. */
public final class Scrape {
    private Scrape() {}

    /** e.g. {@code sample(api, "cache_breaker_state", "state=\"open\"")}; labels empty for none. */
    public static double sample(ApiClient api, String family, String labels) {
        String text = api.get("/metrics").body();
        String prefix = labels.isEmpty() ? family + " " : family + "{" + labels + "} ";
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim());
            }
        }
        throw new AssertionError("no sample " + prefix.trim() + " in /metrics:\n" + text);
    }
}
