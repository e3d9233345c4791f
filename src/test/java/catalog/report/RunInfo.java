package catalog.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** When and on what the figures were measured: numbers mean little without the machine. */
record RunInfo(Instant finishedAt, int cores, String os, String java) {
    static RunInfo current() {
        return new RunInfo(Instant.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    String describe() {
        return "Run finished " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(finishedAt.atOffset(ZoneOffset.UTC).withNano(0))
                + " UTC on " + cores + " cores, " + os + ", " + java + ".";
    }
}
