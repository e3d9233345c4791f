package catalog.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LabImagesTest {
    @Test
    @DisplayName("official images are the defaults")
    void officialDefaults() {
        LabImages images = LabImages.of(Map.of(), Map.of());
        assertThat(images.nameOf(LabImages.Service.POSTGRES)).isEqualTo("postgres:17");
        assertThat(images.nameOf(LabImages.Service.TOXIPROXY)).isEqualTo("ghcr.io/shopify/toxiproxy:2.12.0");
        assertThat(images.nameOf(LabImages.Service.JRE)).isEqualTo("eclipse-temurin:21-jre");
    }

    @Test
    @DisplayName("the offline env file's variables override the defaults")
    void environmentOverrides() {
        LabImages images = LabImages.of(Map.of("REDIS_IMAGE", "standin/redis:trixie"), Map.of());
        assertThat(images.nameOf(LabImages.Service.REDIS)).isEqualTo("standin/redis:trixie");
        assertThat(images.nameOf(LabImages.Service.ETCD)).isEqualTo("quay.io/coreos/etcd:v3.5.21");
    }

    @Test
    @DisplayName("a system property wins over the environment; blank values are ignored")
    void propertyWins() {
        LabImages images = LabImages.of(
                Map.of("REDIS_IMAGE", "standin/redis:trixie", "ETCD_IMAGE", " "),
                Map.of("lab.image.redis", "my/redis:1"));
        assertThat(images.nameOf(LabImages.Service.REDIS)).isEqualTo("my/redis:1");
        assertThat(images.nameOf(LabImages.Service.ETCD)).isEqualTo("quay.io/coreos/etcd:v3.5.21");
    }
}
