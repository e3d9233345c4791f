package catalog.cache;

import java.net.URI;
import redis.clients.jedis.util.JedisURIHelper;

/** Who the invalidation feed logs in as: both null when Redis asks for no password; never printed. */
record RedisLogin(String user, String password) {
    /** The login a Redis URL carries ({@code redis://user:password@host}), user null for the default user. */
    static RedisLogin of(URI url) {
        String password = JedisURIHelper.getPassword(url);
        return new RedisLogin(password == null ? null : JedisURIHelper.getUser(url), password);
    }

    @Override
    public String toString() {
        return "RedisLogin[user=" + user + "]";
    }
}
