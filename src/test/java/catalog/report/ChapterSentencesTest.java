package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChapterSentencesTest {
    @Test
    @DisplayName("each chapter gets one sentence: its scenario classes, the scenarios passed and what that proves")
    void oneSentencePerChapter() {
        List<String> sentences = ChapterSentences.of(List.of(
                new ScenarioEnd(Set.of("cache"), "RedisFaultsIT", "a slow Redis", Outcome.PASSED),
                new ScenarioEnd(Set.of("cache"), "RedisFaultsIT", "a dead Redis", Outcome.PASSED),
                new ScenarioEnd(Set.of("cache"), "CacheRacesIT", "one read for a stampede", Outcome.PASSED),
                new ScenarioEnd(Set.of("compose"), "ComposeStackIT", "survives", Outcome.PASSED)));

        assertThat(sentences).hasSize(2);
        assertThat(sentences.get(0)).startsWith("cache: 2 scenario classes, 3 scenarios passed: cache-aside with leases");
        assertThat(sentences.get(1)).startsWith("compose: 1 scenario class, 1 scenario passed: docker-compose.yml");
    }

    @Test
    @DisplayName("a chapter with a failed scenario names it and does not claim what it proves")
    void failedScenarioIsNamed() {
        List<String> sentences = ChapterSentences.of(List.of(
                new ScenarioEnd(Set.of("catalogue"), "FailureCatalogueIT", "leader killed", Outcome.PASSED),
                new ScenarioEnd(Set.of("catalogue"), "FailureCatalogueIT", "leader frozen", Outcome.FAILED)));

        assertThat(sentences).singleElement().asString()
                .startsWith("catalogue: 1 scenario class, 1 scenario passed, 1 did not (FailureCatalogueIT: leader frozen)")
                .contains("not proven in this run that every fault");
    }

    @Test
    @DisplayName("an untagged scenario belongs to no chapter, and a chapter the report does not know gets no claim")
    void untaggedAndUnknownChapters() {
        List<String> sentences = ChapterSentences.of(List.of(
                new ScenarioEnd(Set.of(), "SpecReportIT", "pings", Outcome.PASSED),
                new ScenarioEnd(Set.of("backups"), "RestoreIT", "a restore", Outcome.PASSED)));

        assertThat(sentences).containsExactly("backups: 1 scenario class, 1 scenario passed.");
    }
}
