package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private Path png(String relative, int width, int height) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(1, 1, 0xff0000);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private HtmlReport report() throws IOException {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("dataset", "fashion-mnist");
        settings.put("epochs", 12);
        return new HtmlReport("FixRes <demo>")
                .section("Setup")
                .keyValues(settings)
                .code("fixres train --res 24")
                .section("Results")
                .paragraph("Top-1 rises when testing at 32 > 24 px.")
                .table(new Table("Top-1", "test \\ train", "24").row("32", 91.5).markBestPerColumn())
                .image(png("figures/fig7.png", 6, 4), "Top-1 per test resolution")
                .image(png("figures/cdf 6.png", 5, 3), "CDF fit");
    }

    @Test
    void writtenReportWithTableAndTwoImagesPassesTheValidator() throws IOException {
        Path html = dir.resolve("report.html");
        Path md = dir.resolve("report.md");
        report().write(html, md);

        assertThat(HtmlReport.validateImages(html)).isEmpty();
        assertThat(HtmlReport.validateMarkdownImages(md)).isEmpty();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<style>")
                .contains("<title>FixRes &lt;demo&gt;</title>")
                .contains("<p>Top-1 rises when testing at 32 &gt; 24 px.</p>")
                .contains("<td class=\"num\"><b>91.5</b></td>")
                .contains("<tr><th>epochs</th><td>12</td></tr>")
                .doesNotContain("figures/");
        assertThat(page.split("src=\"data:image/png;base64,", -1)).hasSize(3);
    }

    @Test
    void markdownLinksFiguresRelativelyAndEscapesText() throws IOException {
        assertThat(report().toMarkdown(dir)).isEqualTo("""
                # FixRes \\<demo\\>

                ## Setup

                - **dataset**: fashion-mnist
                - **epochs**: 12

                ```
                fixres train --res 24
                ```

                ## Results

                Top-1 rises when testing at 32 \\> 24 px.

                **Top-1**

                | test \\\\ train |       24 |
                | ------------- | -------: |
                | 32            | **91.5** |

                ![Top-1 per test resolution](figures/fig7.png)

                *Top-1 per test resolution*

                ![CDF fit](figures/cdf%206.png)

                *CDF fit*
                """);
    }

    @Test
    void validatorReportsBrokenDataUrisMissingFilesAndAbsoluteReferences() throws IOException {
        png("ok.png", 2, 2);
        Path html = dir.resolve("page.html");
        Files.writeString(html, """
                <img src="ok.png">
                <img alt="x" src='data:image/png;base64,%%%'>
                <img src="data:image/png;base64,aGVsbG8=">
                <img src="figures/missing.png">
                <img src="https://example.org/a.png">
                <img src="data:image/jpeg;base64,AAAA">
                """);
        List<String> problems = HtmlReport.validateImages(html);
        assertThat(problems).hasSize(5);
        assertThat(problems.get(0)).startsWith(html + ": image 2 (data:image/png;base64,%%%): data URI is not valid base64");
        assertThat(problems.get(1)).endsWith("image 3 (data:image/png;base64,aGVsbG8=): not a PNG (bad signature)");
        assertThat(problems.get(2)).endsWith("image 4 (figures/missing.png): file not found: "
                + dir.toAbsolutePath().resolve("figures/missing.png"));
        assertThat(problems.get(3)).contains("image 5").contains("absolute reference");
        assertThat(problems.get(4)).contains("image 6").contains("data URI is not data:image/png;base64,");
    }

    @Test
    void validatorCatchesATruncatedPng() throws IOException {
        byte[] whole = Files.readAllBytes(png("whole.png", 8, 8));
        Files.write(dir.resolve("cut.png"), java.util.Arrays.copyOf(whole, 20));
        Path md = dir.resolve("r.md");
        Files.writeString(md, "![a \\] b](whole.png)\n![cut](cut.png)\n");
        assertThat(HtmlReport.validateMarkdownImages(md)).singleElement().asString()
                .contains("image 2 (cut.png)").contains("PNG does not decode");
    }

    @Test
    void missingFigureFailsTheWriteAndLeavesNoPage() {
        HtmlReport broken = new HtmlReport("r").image(dir.resolve("figures/none.png"), "gone");
        assertThatThrownBy(() -> broken.write(dir.resolve("report.html"), dir.resolve("report.md")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("figures/none.png").hasMessageContaining("no such file");
        assertThat(dir.resolve("report.html")).doesNotExist();
    }
}
