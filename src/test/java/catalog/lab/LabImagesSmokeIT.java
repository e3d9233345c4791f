package catalog.lab;

import static org.assertj.core.api.Assertions.assertThat;

import catalog.report.SpecReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import redis.clients.jedis.Jedis;

/**
 * Every image the specification uses starts and answers, whether official or a Debian stand-in.
 * Starts its own containers, one scenario each: starting from the image is what it proves.
 */
@Tag("failover")
@DisplayName("The lab images")
@ExtendWith(SpecReport.class)
class LabImagesSmokeIT {
    private final LabImages images = LabImages.fromEnvironment();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @DisplayName("PostgreSQL answers select 1")
    void postgresAnswers() throws Exception {
        try (PostgresServer postgres = new PostgresServer(images)) {
            postgres.start();
            try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword());
                 ResultSet rs = c.createStatement().executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            assertThat(postgres.sql("select current_database()")).isEqualTo("products");
        }
    }

    @Test
    @DisplayName("Redis answers PING")
    void redisAnswers() {
        try (RedisServer redis = new RedisServer(images); ) {
            redis.start();
            try (Jedis jedis = new Jedis(redis.adminUri())) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    @DisplayName("etcd reports itself healthy")
    void etcdIsHealthy() throws Exception {
        try (Network network = Network.newNetwork();
             EtcdServer etcd = new EtcdServer(images, network, "etcd-smoke")) {
            etcd.start();
            HttpResponse<String> health = get(etcd.clientUrl() + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"health\":\"true\"");
        }
    }

    @Test
    @DisplayName("HAProxy starts with a configuration and forwards to its backend")
    void haproxyForwards() {
        String config = String.join("\n",
                "global", "  log stdout format raw local0",
                "defaults", "  mode tcp", "  timeout connect 2s", "  timeout client 30s", "  timeout server 30s",
                "listen redis", "  bind :7000", "  server redis redis-behind-haproxy:6379", "");
        try (Network network = Network.newNetwork();
             RedisServer redis = new RedisServer(images).withNetwork(network).withNetworkAliases("redis-behind-haproxy");
             HaproxyServer haproxy = HaproxyServer.withConfigText(images, network, config)
                     .withExposedPorts(7000)
                     .waitingFor(Wait.forListeningPort())) {
            redis.start();
            haproxy.start();
            try (Jedis jedis = new Jedis(redis.adminUriThrough(haproxy.getHost(), haproxy.getMappedPort(7000)))) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    @DisplayName("Toxiproxy answers /version and its proxy forwards bytes to Redis")
    void toxiproxyForwards() throws Exception {
        try (Network network = Network.newNetwork();
             RedisServer redis = new RedisServer(images).withNetwork(network).withNetworkAliases("redis-behind-toxiproxy");
             ToxiproxyServer toxiproxy = new ToxiproxyServer(images, network)) {
            redis.start();
            toxiproxy.start();
            HttpResponse<String> version = get(toxiproxy.controlUrl() + "/version");
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.body()).contains("2.12.0");

            ToxiproxyServer.Route route = toxiproxy.proxy("redis", "redis-behind-toxiproxy:6379");
            try (Jedis jedis = new Jedis(redis.adminUriThrough(route.host(), route.port()))) {
                assertThat(jedis.set("smoke", "through the proxy")).isEqualTo("OK");
                assertThat(jedis.get("smoke")).isEqualTo("through the proxy");
            }
        }
    }

    @Test
    @DisplayName("The JRE image runs Java 21 (the API's jar is built for 17 and runs on it)")
    void jreRunsJava21() {
        try (GenericContainer<?> jre = new GenericContainer<>(images.jre())
                .withCommand("java", "-version")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            jre.start();
            assertThat(jre.getLogs()).containsPattern("version \"21[.\"]");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
