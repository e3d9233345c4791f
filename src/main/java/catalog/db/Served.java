package catalog.db;

/** A read result together with the role of the server that produced it. */
public record Served<T>(T value, DatabaseRole role) {}
