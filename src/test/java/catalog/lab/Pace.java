package catalog.lab;

/**
 * A pause in a load loop or between a scenario's steps, where waiting is the point (the measuring
 * window, the client's pace): an interrupt ends it early and is kept for the loop to see.
 */
public final class Pace {
    private Pace() {}

    public static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
