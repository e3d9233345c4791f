package catalog.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script called by its SHA-1 (EVALSHA), so a call sends 40 bytes instead of the script's
 * text. Redis forgets scripts when it restarts (or on SCRIPT FLUSH): the answer is then NOSCRIPT,
 * and the script is sent once with EVAL, which also puts it back in Redis' script cache.
 */
final class LuaScript {
    private final String source;
    private final String sha;

    LuaScript(String source) {
        this.source = source;
        this.sha = sha1Hex(source);
    }

    /** Runs the script; the reply is raw (byte[] for strings, Long, List of those). */
    Object run(Connection redis, String[] keys, String... args) {
        try {
            return redis.executeCommand(arguments(Protocol.Command.EVALSHA, sha, keys, args));
        } catch (JedisNoScriptException e) {
            return redis.executeCommand(arguments(Protocol.Command.EVAL, source, keys, args));
        }
    }

    /**
     * Runs the script once per entry of {@code keys} and {@code args} (same length), pipelined: every
     * call written at once, one flush, then every reply read, so n calls cost one round trip. Replies
     * come back in order; a call that failed inside Redis is a {@code JedisDataException} in its
     * place. Calls refused with NOSCRIPT are run again one by one with EVAL (after a restart of Redis).
     */
    List<Object> runAll(Connection redis, List<String[]> keys, List<String[]> args) {
        for (int i = 0; i < keys.size(); i++) {
            redis.sendCommand(arguments(Protocol.Command.EVALSHA, sha, keys.get(i), args.get(i)));
        }
        List<Object> replies = new ArrayList<>(redis.getMany(keys.size()));
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i) instanceof JedisNoScriptException) {
                replies.set(i, redis.executeCommand(arguments(Protocol.Command.EVAL, source, keys.get(i), args.get(i))));
            }
        }
        return replies;
    }

    String sha() {
        return sha;
    }

    private static CommandArguments arguments(Protocol.Command command, String script, String[] keys, String[] args) {
        CommandArguments arguments = new CommandArguments(command).add(script).add(keys.length);
        for (String key : keys) {
            arguments.key(key);
        }
        for (String arg : args) {
            arguments.add(arg);
        }
        return arguments;
    }

    private static String sha1Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(40);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
    }
}
