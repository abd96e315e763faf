package io.fixres.reproduce;

import static io.fixres.reproduce.SeedDifferenceTest.rightOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.stats.Verdict;
import io.fixres.study.ResolutionGridStudy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The findings of Tables 5 and 9 from constructed per-image outcomes of two seeds. */
class ReproductionReportTest {
    @TempDir Path dir;

    private static ResolutionGridStudy.Cell cell(int k, ResolutionAccuracy none, ResolutionAccuracy tuned) {
        return new ResolutionGridStudy.Cell(20, k, none, tuned);
    }

    /** Train 20 px; without fine-tuning 16: 70.0, 20: 80.0, 24: {@code at24}; fine-tuned best at 24: {@code tuned24}. */
    private static ResolutionGridStudy.Result grid(int at24, int tuned24) {
        return new ResolutionGridStudy.Result("rrc", List.of(20), List.of(16, 20, 24), "sgd", List.of("runs/models/x"),
                List.of(cell(16, rightOn(16, 0, 700), rightOn(16, 0, 720)),
                        cell(20, rightOn(20, 0, 800), rightOn(20, 0, 820)),
                        cell(24, rightOn(24, 0, at24), rightOn(24, 0, tuned24))));
    }

    @Test
    void tables5And9StateEachFindingWithItsSeedsIntervalAndVerdict() throws Exception {
        SeededGrids grids = new SeededGrids(List.of(0L, 1L), List.of(grid(840, 850), grid(830, 845)));
        ReproductionReport report = new ReproductionReport(dir, "test");
        report.table5(grids, 20);
        report.table9(grids, 20);

        List<Finding> findings = report.findings();
        assertThat(findings).extracting(Finding::verdict)
                .containsExactly(Verdict.REPRODUCED, Verdict.REPRODUCED, Verdict.NOT_REPRODUCED);
        Finding fixRes = findings.get(0);
        assertThat(fixRes.difference().perSeed()).containsExactly(4.0, 3.0);
        assertThat(fixRes.evidence()).startsWith("best test resolution 24, 24 px (train 20 px); best above minus best "
                + "at or below: mean +3.50 [").endsWith("] (seeds 0, 1: +4.00, +3.00; sd 0.71)");
        assertThat(findings.get(1).difference().perSeed()).containsExactly(1.0, 1.5);
        assertThat(findings.get(2).difference().perSeed()).containsExactly(-4.0, -3.0);
        assertThat(findings.get(2).difference().mean().high()).isLessThan(0);

        report.write();
        String summary = Files.readString(dir.resolve("data/summary.json"));
        assertThat(summary).contains("\"verdict\": \"reproduced\"", "\"verdict\": \"not reproduced\"",
                "\"criterion\": \"best top-1 above the train resolution minus best top-1 at or below it, for each",
                "\"per_seed\": [", "\"spread\": ");
        String table5 = Files.readString(dir.resolve("data/table5.json"));
        assertThat(table5).contains("\"top1_low\": ", "\"top1_high\": ", "\"top1_outcomes\": ", "\"seeds\": [");
        assertThat(dir.resolve("data/table5-3.csv")).as("the across-seeds table").isRegularFile();
        assertThat(Files.readString(dir.resolve("report.md"))).contains("Top-1 (%) across training seeds", "seed 1");
    }
}
