package catalog.cache;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.ApiClient;
import catalog.ApiClient.ApiResponse;
import java.util.ArrayList;
import java.util.List;

/** Reads timed one after the other, and their medians in milliseconds: the figures the cache scenarios compare. */
final class Samples {
    private Samples() {}

    /** GETs each product once, in order; every answer must be a 200. */
    static List<ApiResponse> reads(ApiClient api, List<Long> ids) {
        List<ApiResponse> responses = new ArrayList<>();
        for (long id : ids) {
            ApiResponse r = api.get("/products/" + id);
            assertThat(r.status()).isEqualTo(200);
            responses.add(r);
        }
        return responses;
    }

    static double medianMs(List<ApiResponse> responses) {
        double[] ms = responses.stream().mapToDouble(r -> r.elapsed().toNanos() / 1e6).sorted().toArray();
        if (ms.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        int mid = ms.length / 2;
        return ms.length % 2 == 1 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
    }

    static double maxMs(List<ApiResponse> responses) {
        return responses.stream().mapToDouble(r -> r.elapsed().toNanos() / 1e6).max().orElseThrow();
    }

    static String ms(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

    static String ratio(double value, double base) {
        return String.format(java.util.Locale.ROOT, "%.2fx", value / base);
    }
}
