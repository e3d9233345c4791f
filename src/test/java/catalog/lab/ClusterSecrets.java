package catalog.lab;

import java.util.UUID;

/**
 * The passwords of one lab cluster, fresh for each lab (nothing is written in the code): the
 * postgres superuser, the replication and pg_rewind users, the API's role, which owns the
 * database {@code products} and is not a superuser, and the login of Patroni's REST API.
 */
public record ClusterSecrets(String superuserPassword, String replicationPassword, String rewindPassword,
                             String apiUser, String apiPassword, String restApiPassword) {
    public static final String SUPERUSER = "postgres";
    public static final String DATABASE = "products";
    public static final String REST_API_USER = "patroni";

    public static ClusterSecrets random() {
        return new ClusterSecrets(token(), token(), token(), "products", token(), token());
    }

    private static String token() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
