package io.fixres.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.report.HtmlReport;
import io.fixres.testing.TinyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole reproduction on a tiny dataset: every artefact lands in the report, every figure is
 * a valid PNG, and a second run answers every stage from the cache.
 */
class ReproductionTest {
    @TempDir static Path tmp;
    static Path out;
    static Reproduction.Result first;

    static final StudyPlan TINY = StudyPlan.builder().profile("tiny").width(0.25).mainTrainResolution(20)
            .gridTrainResolutions(List.of(16, 20)).gridTestResolutions(List.of(16, 20, 24)).seeds(List.of(0L))
            .limitTrain(256).limitTest(64).epochs(1).batchSize(32).learningRate(0.05f).fineTuneEpochs(1)
            .fineTuneLimitTrain(256).sweepFrom(16).sweepTo(24).sweepLimitTest(32).statsLimitImages(64)
            .timingRepeats(1).timingBatchSize(8).build();

    @BeforeAll
    static void runOnce() throws Exception {
        Path data = TinyDatasets.idxDirectory(tmp.resolve("idx"), 256, 64, 4, 3);
        out = tmp.resolve("report");
        first = Reproduction.run(TINY, data.toString(), out, false, 0, 1, "test", StageProgress.NONE);
    }

    @Test
    void writesThePageTheMarkdownAndEveryDataFile() throws Exception {
        assertThat(first.html()).isEqualTo(out.resolve("index.html")).isRegularFile();
        assertThat(out.resolve("report.md")).isRegularFile();
        for (String name : List.of("table5.json", "table5-1.csv", "table5-2.csv", "table9.json", "ablation.json",
                "figure6.json", "table4.json", "sweeps.json", "section3.json", "table7.json", "summary.json")) {
            assertThat(out.resolve("data").resolve(name)).as(name).isRegularFile();
        }
        String html = Files.readString(first.html());
        for (String heading : List.of("Table 4", "Table 5", "Table 6", "Table 7", "Table 8", "Table 9",
                "Figure 6", "Figures 7 and 8", "Section 3", "Findings")) {
            assertThat(html).as(heading).contains(heading);
        }
    }

    @Test
    void sectionThreeListsItsValuesInTheSameOrderInEveryRun() throws Exception {
        // the report is committed: its lines must not move between runs (they did with Map.of's per-JVM order)
        String md = Files.readString(out.resolve("report.md"));
        List<String> keys = md.lines().filter(l -> l.startsWith("- **E\\[sigma\\]") || l.startsWith("- **equalising")
                || l.startsWith("- **nearest stride") || l.startsWith("- **measured best")).map(l -> l.substring(4, 10)).toList();
        assertThat(keys).containsExactly("E\\[sig", "equali", "neares", "measur");
        String section3 = Files.readString(out.resolve("data/section3.json"));
        assertThat(section3.indexOf("\"suggestion\"")).isPositive().isLessThan(section3.indexOf("\"measured_best\""));
    }

    @Test
    void everyFigureOfThePageAndTheMarkdownIsAValidPng() throws Exception {
        assertThat(HtmlReport.validateImages(out.resolve("index.html"))).isEmpty();
        assertThat(HtmlReport.validateMarkdownImages(out.resolve("report.md"))).isEmpty();
        assertThat(Files.readString(out.resolve("index.html"))).contains("data:image/png;base64,");
    }

    @Test
    void statesOneFindingPerArtefact() {
        assertThat(first.findings()).hasSize(9);
        assertThat(first.findings()).allSatisfy(f -> assertThat(f.evidence()).isNotBlank());
    }

    @Test
    void aCacheFilledByAnotherPlanIsRefused() {
        StudyPlan other = TINY.toBuilder().gridTestResolutions(List.of(16, 20, 28)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Reproduction.run(other, tmp.resolve("idx").toString(),
                        out, false, 0, 1, "test", StageProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plan.json").hasMessageContaining("--fresh");
    }

    @Test
    void recordsEveryStagesWallTime() throws Exception {
        assertThat(first.stageTimes()).extracting(StageTime::stage).containsExactly("table5", "table9", "ablation",
                "figure6", "table4", "sweeps", "table7", "report");
        assertThat(first.stageTimes()).allSatisfy(t -> assertThat(t.seconds()).isGreaterThanOrEqualTo(0));
        assertThat(first.stageTimes().get(0).seconds()).isGreaterThan(0.1); // training happened in table5
        assertThat(first.stageTable().toText()).contains("table5", "total");
        String summary = Files.readString(out.resolve("data/summary.json"));
        assertThat(summary).contains("\"stage_seconds\": [", "\"stage\": \"table5\"", "\"cached\": false");
        assertThat(Files.readString(out.resolve("report.md"))).contains("Stage times");
    }

    @Test
    void aMovedReportIsAnsweredFromItsCacheAndNoFileNamesTheMachinesPaths() throws Exception {
        Path a = tmp.resolve("moves/a/report");
        Path b = tmp.resolve("moves/b/report");
        Reproduction.run(TINY, tmp.resolve("idx").toString(), a, false, 0, 1, "fixres reproduce --out " + a,
                StageProgress.NONE);
        copyTree(a, b);
        deleteTree(a);
        Reproduction.Result moved = Reproduction.run(TINY, tmp.resolve("idx").toString(), b, false, 0, 1,
                "fixres reproduce --out " + b, StageProgress.NONE);
        assertThat(moved.stagesFromCache()).as("every stage from the cache").isEqualTo(7);
        assertThat(moved.stageTimes()).filteredOn(t -> !t.stage().equals("report")).allSatisfy(t ->
                assertThat(t.cached()).as(t.stage()).isTrue());
        try (var files = Files.walk(b)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.(json|jsonl|csv|md|html)$"))
                    .toList()) {
                String text = Files.readString(f);
                String name = b.relativize(f).toString();
                assertThat(text).as(name).doesNotContain(a.toString()).doesNotContain(b.toString());
                if (!name.startsWith("runs")) { // what a report commits names not even the data's directory
                    assertThat(text).as(name).doesNotContain(tmp.toString());
                }
            }
        }
        assertThat(Files.readString(b.resolve("data/summary.json"))).contains("\"command\": \"fixres reproduce --out report\"");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aSecondRunResumesEveryStageFromTheCache() throws Exception {
        Reproduction.Result again = Reproduction.run(TINY, tmp.resolve("idx").toString(), out, false, 0, 1, "test",
                StageProgress.NONE);
        assertThat(again.stagesFromCache()).isEqualTo(7);
        assertThat(again.findings()).isEqualTo(first.findings());
    }
}
