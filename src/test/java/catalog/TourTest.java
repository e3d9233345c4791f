package catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README, docs/ and the tour name files, chapters, scenario classes and scenario sentences of
 * the code; a rename in the code must not leave a newcomer following a dead pointer. Reads the
 * repository from the working directory, which Surefire sets to the project's root.
 */
class TourTest {
    private static final Path TOUR = Path.of("docs", "TOUR.md");
    private static final Path TESTS = Path.of("src", "test", "java");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern GROUPS = Pattern.compile("-Dgroups=([A-Za-z0-9_-]+)");
    private static final Pattern TAG = Pattern.compile("@Tag\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");
    private static final Pattern SCENARIO_CLASS = Pattern.compile("\\b([A-Z][a-z][A-Za-z0-9]*IT)\\b");
    /** `SomeIT` (chapter `x`), "a sentence": a scenario quoted by its @DisplayName. */
    private static final Pattern QUOTED_SCENARIO =
            Pattern.compile("`([A-Z][A-Za-z0-9]*IT)`(?:\\s*\\(chapter `[a-z]+`\\))?,\\s*\"([^\"]+)\"");
    /** `ops/JvmSettings`: a class of either tree named by its package folder, without a link. */
    private static final Pattern PACKAGED_CLASS = Pattern.compile("`([a-z]+/[A-Z][A-Za-z0-9]*)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+)$");

    @Test
    @DisplayName("every relative link in README.md, CHANGES.md and docs/ points at a file that exists, and at a heading that exists")
    void relativeLinksResolve() {
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Found link : inThePages(LINK)) {
            Path page = link.page();
            String target = link.group();
            if (target.matches("^[a-z]+:.*")) {
                continue; // http:, https:, mailto: are not files of this repository
            }
            links++;
            String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
            String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
            Path resolved = file.isEmpty() ? page : page.resolveSibling(file).normalize();
            if (!Files.exists(resolved)) {
                broken.add(page + ": " + target + " (no such file)");
            } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                broken.add(page + ": " + target + " (no such heading)");
            }
        }
        assertThat(links).as("relative links found").isGreaterThan(50);
        assertThat(broken).isEmpty();
    }

    @Test
    @DisplayName("every -Dgroups=<chapter> in the docs names a tag some scenario carries")
    void chaptersAreTags() {
        Set<String> tags = new TreeSet<>();
        javaFiles(TESTS).forEach(file -> {
            Matcher tag = TAG.matcher(read(file));
            while (tag.find()) {
                tags.add(tag.group(1));
            }
        });
        Set<String> chapters = new TreeSet<>();
        for (Path page : pages()) {
            Matcher groups = GROUPS.matcher(read(page));
            while (groups.find()) {
                chapters.add(groups.group(1));
            }
        }
        assertThat(chapters).as("chapters named in the docs").contains("api", "hostile", "cache", "failover", "catalogue", "compose", "backup", "hosts");
        assertThat(tags).as("@Tag values under " + TESTS).containsAll(chapters);
    }

    @Test
    @DisplayName("every scenario class the docs name exists under src/test/java")
    void scenarioClassesExist() {
        Set<String> classes = javaFiles(TESTS).stream()
                .map(file -> file.getFileName().toString().replaceFirst("\\.java$", ""))
                .collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        for (Path page : pages()) {
            Matcher scenario = SCENARIO_CLASS.matcher(read(page));
            while (scenario.find()) {
                named.add(scenario.group(1));
            }
        }
        assertThat(named).as("scenario classes named in the docs").hasSizeGreaterThan(20);
        assertThat(classes).containsAll(named);
    }

    @Test
    @DisplayName("every package/Class the docs name in backticks is a class under src/main/java or src/test/java")
    void packagedClassesExist() {
        List<Found> names = inThePages(PACKAGED_CLASS);
        List<String> missing = new ArrayList<>();
        for (Found named : names) {
            String file = "catalog/" + named.group() + ".java";
            if (!Files.exists(Path.of("src", "main", "java").resolve(file)) && !Files.exists(TESTS.resolve(file))) {
                missing.add(named.page() + ": " + named.group());
            }
        }
        assertThat(names.size()).as("package/Class names in the docs").isGreaterThan(10);
        assertThat(missing).isEmpty();
    }

    @Test
    @DisplayName("every scenario the tour quotes is a @DisplayName of the class it names")
    void quotedScenariosExist() {
        Map<String, Path> classFiles = javaFiles(TESTS).stream()
                .collect(Collectors.toMap(f -> f.getFileName().toString().replaceFirst("\\.java$", ""), Function.identity(), (a, b) -> a));
        String tour = read(TOUR).replaceAll("\\s*\\n\\s*", " ");
        Matcher quoted = QUOTED_SCENARIO.matcher(tour);
        List<String> missing = new ArrayList<>();
        int count = 0;
        while (quoted.find()) {
            count++;
            Path file = classFiles.get(quoted.group(1));
            String sentence = "\"" + quoted.group(2) + "\"";
            if (file == null || !read(file).contains("@DisplayName(" + sentence + ")")) {
                missing.add(quoted.group(1) + ": " + sentence);
            }
        }
        assertThat(count).as("scenarios quoted in the tour").isGreaterThanOrEqualTo(10);
        assertThat(missing).isEmpty();
    }

    @Test
    @DisplayName("the tour has about ten stops, and the README stays an entry: at most 15 KB, its test command exactly mvn verify")
    void shapes() {
        long stops = HEADING.matcher(read(TOUR)).results().filter(h -> h.group(1).matches("\\d+\\. .*")).count();
        assertThat(stops).isBetween(8L, 12L);
        Path readme = Path.of("README.md");
        assertThat(size(readme)).isLessThanOrEqualTo(15 * 1024);
        // .ci/run runs exactly the README's test command.
        assertThat(read(readme).lines()).contains("    mvn verify");
        assertThat(read(Path.of(".ci", "run")).lines()).contains("mvn verify");
    }

    /** README.md, CHANGES.md and every page under docs/. */
    /** A pattern's first group, as found on one page of the docs. */
    private record Found(Path page, String group) {
    }

    /** Every match of the pattern in the docs' pages, page by page, in order. */
    private static List<Found> inThePages(Pattern pattern) {
        List<Found> found = new ArrayList<>();
        for (Path page : pages()) {
            Matcher match = pattern.matcher(read(page));
            while (match.find()) {
                found.add(new Found(page, match.group(1)));
            }
        }
        return found;
    }

    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CHANGES.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(pages).contains(TOUR);
        return pages;
    }

    /** GitHub's anchors: headings lower-cased, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path page) {
        return HEADING.matcher(read(page)).results()
                .map(h -> h.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }

    private static List<Path> javaFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
