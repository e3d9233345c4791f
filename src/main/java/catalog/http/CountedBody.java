package catalog.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that knows how much of it was read and whether to its end, so that
 * {@link BodyDrain} reads only the rest. Set on each exchange as it arrives
 * ({@code HttpExchange.setStreams}); the exchange's attributes cannot carry this, since on JDK 17
 * they are the context's, shared by every exchange.
 */
final class CountedBody extends FilterInputStream {
    private long bytesRead;
    private boolean ended;

    CountedBody(InputStream body) {
        super(body);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(n);
        return n;
    }

    private synchronized void count(int n) {
        if (n < 0) {
            ended = true;
        } else {
            bytesRead += n;
        }
    }

    synchronized long bytesRead() {
        return bytesRead;
    }

    synchronized boolean ended() {
        return ended;
    }
}
