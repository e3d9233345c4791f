package catalog.lab;

/** What a Patroni node is, as its REST API says ({@code /primary} or {@code /replica} answers 200). */
public enum Role {
    PRIMARY("/primary"),
    REPLICA("/replica");

    final String restPath;

    Role(String restPath) {
        this.restPath = restPath;
    }
}
