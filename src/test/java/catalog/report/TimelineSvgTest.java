package catalog.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class TimelineSvgTest {

    /** A synthetic hard-kill failover: reads every 100 ms, writes that fail between kill and promotion. */
    private static Timeline failover() {
        Timeline timeline = new Timeline("Hard kill of the leader");
        for (long t = 0; t < 20_000; t += 100) {
            timeline.request("read", t, t > 5_000 && t < 5_400 ? 900 : 2, true);
            boolean down = t >= 5_000 && t < 15_000;
            timeline.request("write", t + 50, down ? 1 : 4, !down);
        }
        timeline.mark("kill", 5_000);
        timeline.mark("promotion", 14_800);
        timeline.mark("rejoin", 18_200);
        return timeline;
    }

    @Test
    @DisplayName("every request is drawn in its lane, failures as red squares above the successes")
    void drawsEveryRequest() {
        Document svg = Xml.parse(TimelineSvg.render(failover()));

        Element ok = group(svg, "ok", 0);
        Element failed = group(svg, "failed", 1);
        int okDots = ok.getElementsByTagName("circle").getLength() + group(svg, "ok", 1).getElementsByTagName("circle").getLength();
        assertThat(okDots).isEqualTo(200 + 100);
        assertThat(failed.getElementsByTagName("rect").getLength()).isEqualTo(100);
        assertThat(group(svg, "failed", 0).getElementsByTagName("rect").getLength()).isZero();
        assertThat(Xml.texts(svg, "text")).contains("read", "write", "200 requests, 0 failed", "200 requests, 100 failed");
    }

    @Test
    @DisplayName("kill, promotion and rejoin are labelled vertical marks at their second")
    void marksTheMoments() {
        Document svg = Xml.parse(TimelineSvg.render(failover()));

        assertThat(Xml.texts(svg, "text")).contains("kill 5 s", "promotion 14.8 s", "rejoin 18.2 s");
        List<Element> markLines = Xml.elements(svg, "g").stream()
                .filter(g -> "mark".equals(g.getAttribute("class"))).toList();
        assertThat(markLines).hasSize(3);
        double killX = Double.parseDouble(((Element) markLines.get(0).getElementsByTagName("line").item(0)).getAttribute("x1"));
        double promotionX = Double.parseDouble(((Element) markLines.get(1).getElementsByTagName("line").item(0)).getAttribute("x1"));
        assertThat(promotionX).isGreaterThan(killX);
    }

    @Test
    @DisplayName("the time axis is labelled in seconds and the latency axis in decades")
    void hasAxes() {
        List<String> texts = Xml.texts(Xml.parse(TimelineSvg.render(failover())), "text");

        assertThat(texts).contains("0 s", "10 s", "20 s", "10 ms", "100 ms", "1 s");
        assertThat(texts).anyMatch(t -> t.startsWith("seconds since"));
    }

    @Test
    @DisplayName("a title with markup in it is shown as text, not interpreted")
    void escapesTheTitle() {
        Timeline timeline = new Timeline("<script>alert('x')</script> & \"reads\"");
        timeline.request("<lane>", 0, 5, true);
        timeline.mark("kill & <promote>", 10);

        String rendered = TimelineSvg.render(timeline);
        Document svg = Xml.parse(rendered);

        assertThat(rendered).doesNotContain("<script>").doesNotContain("<lane>");
        assertThat(Xml.texts(svg, "title")).contains("<script>alert('x')</script> & \"reads\"");
        assertThat(Xml.texts(svg, "text")).contains("<lane>");
    }

    @Test
    @DisplayName("a timeline without requests still renders its marks and axes")
    void rendersAnEmptyTimeline() {
        Timeline timeline = new Timeline("nothing happened");
        timeline.mark("kill", 3_000);

        Document svg = Xml.parse(TimelineSvg.render(timeline));

        assertThat(Xml.texts(svg, "text")).contains("no requests recorded", "kill 3 s", "0 s");
    }

    private static Element group(Document svg, String kind, int lane) {
        return Xml.elements(svg, "g").stream().filter(g -> kind.equals(g.getAttribute("class"))).toList().get(lane);
    }
}
