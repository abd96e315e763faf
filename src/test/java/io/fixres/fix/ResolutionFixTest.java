package io.fixres.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.data.ImageDataset;
import io.fixres.io.InvalidParameterException;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.report.HtmlReport;
import io.fixres.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResolutionFixTest {
    @TempDir
    static Path dir;
    static Path model;
    static final ImageDataset TRAIN = TinyModels.images(120, 1);
    static final ImageDataset HELD_OUT = TinyModels.images(60, 2);

    @BeforeAll
    static void checkpoint() throws Exception {
        model = TinyModels.checkpoint(dir.resolve("model"), 16);
    }

    private static ResolutionFix fix() {
        return ResolutionFix.ofCheckpoint(model).fineTuningImages(TRAIN).heldOutImages(HELD_OUT).batchSize(32).threads(2);
    }

    @Test
    void fixesAtTheMostAccurateProbedResolutionAndWritesEveryOutput() throws Exception {
        Path out = dir.resolve("fixed");
        Path export = dir.resolve("export/fixed.safetensors");
        FixReport r = fix().probe(5).exportTo(export).run(out);

        assertThat(r.trainResolution()).isEqualTo(16);
        assertThat(r.stride()).isEqualTo(4);
        assertThat(r.prediction().alignedTestRes()).isEqualTo(20); // 16 x 0.875 / 0.708 = 19.8
        assertThat(r.probes()).hasSizeBetween(2, 5);
        assertThat(r.probes()).extracting(FixReport.Probe::resolution).contains(16)
                .allSatisfy(k -> assertThat(k % 4).isZero());
        FixReport.Probe best = r.probes().stream()
                .max(Comparator.comparingDouble(FixReport.Probe::top1).thenComparing(p -> -p.resolution())).orElseThrow();
        assertThat(r.chosenResolution()).isEqualTo(best.resolution());
        assertThat(r.chosenBy()).isEqualTo(FixReport.ChosenBy.MEASURED);
        assertThat(r.method()).isEqualTo("cached");
        assertThat(r.heldOutDecodes()).isEqualTo(60); // decoded once for every probe round and the final measurement
        assertThat(r.beforeAtChosen().top1()).isEqualTo(best.top1());
        assertThat(r.gainAtChosen().points().estimate())
                .isCloseTo(r.afterAtChosen().top1() - r.beforeAtChosen().top1(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.gainOverTrainRes().points().estimate())
                .isCloseTo(r.afterAtChosen().top1() - r.beforeAtTrainRes().top1(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.latency()).extracting(InferenceLatency::resolution)
                .containsExactlyElementsOf(r.probes().stream().map(FixReport.Probe::resolution).sorted().toList());
        assertThat(r.latency()).allSatisfy(l -> {
            assertThat(l.batch1Millis()).isPositive();
            assertThat(l.batchSize()).isEqualTo(32);
        });
        assertThat(r.decision()).contains(r.chosenResolution() + " px");

        for (String file : List.of(Checkpoint.PARAMS_FILE, Checkpoint.CARD_FILE, ResolutionFix.REPORT_JSON,
                FixReportPages.MARKDOWN, FixReportPages.HTML, FixReportPages.FIGURE)) {
            assertThat(out.resolve(file)).isRegularFile();
        }
        try (Stream<Path> files = Files.list(out)) { // atomic writes leave no temporary file behind
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
        assertThat(export).isRegularFile();
        assertThat(HtmlReport.validateImages(out.resolve(FixReportPages.HTML))).isEmpty();
        assertThat(Files.readString(out.resolve(FixReportPages.HTML))).contains("data:image/png;base64");

        ModelCard card = ModelCard.read(out.resolve(Checkpoint.CARD_FILE));
        assertThat(card.getRecommendedTestResolution()).isEqualTo(r.chosenResolution());
        ModelCard.FineTuning last = card.getFineTunings().get(card.getFineTunings().size() - 1);
        assertThat(last.method()).isEqualTo(ModelCard.FineTuningMethod.CACHED);
        assertThat(last.testResolution()).isEqualTo(r.chosenResolution());
        assertThat(last.accuracyAfter()).isEqualTo(r.afterAtChosen().top1());
    }

    @Test
    void aLatencyBudgetKeepsTheChoiceAndTheProbesWithinIt() throws Exception {
        // latency k ms at k px: a 22 ms budget allows up to 20 px
        FixReport r = fix().budgetMillis(22.0).budgetLatency(k -> k).run(dir.resolve("budget"));
        assertThat(r.chosenResolution()).isLessThanOrEqualTo(20);
        assertThat(r.probes()).extracting(FixReport.Probe::resolution).allSatisfy(k -> assertThat(k).isLessThanOrEqualTo(20));
        assertThat(r.probes()).allSatisfy(p -> assertThat(p.withinBudget()).isTrue());
        assertThat(r.decision()).contains("within the 22.000 ms budget (resolutions up to 20 px fit it)");
    }

    @Test
    void anImpossibleBudgetFailsBeforeAnythingIsWritten() {
        Path out = dir.resolve("impossible");
        assertThatThrownBy(() -> fix().budgetMillis(1.0).budgetLatency(k -> 5.0).run(out))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("latency budget cannot be met: even ")
                .hasMessageContaining("the smallest useful resolution, takes 5.000 ms per image at batch 1");
        assertThat(out).doesNotExist();
    }

    @Test
    void withoutAHeldOutSplitPartOfTheLabelledImagesIsKeptOutOfTheFix() throws Exception {
        FixReport r = ResolutionFix.ofCheckpoint(model).fineTuningImages(TRAIN).heldOut(30).probe(2).batchSize(32)
                .threads(2).labelFree(true).run(dir.resolve("split"));
        assertThat(r.heldOutImages().images()).isEqualTo(24); // at most a fifth of the 120 images
        assertThat(r.fineTuningImages().images()).isEqualTo(96);
        assertThat(r.method()).isEqualTo("recalibrate-last");
        assertThat(r.probes()).hasSize(2);
    }

    @Test
    void settingsAreCheckedBeforeAnyWork() {
        assertThatThrownBy(() -> fix().probe(1).run(dir.resolve("p1")))
                .hasMessage("probe evaluations must be >= 2 (the training resolution and at least one candidate), got 1");
        assertThatThrownBy(() -> fix().budgetMillis(0.0).run(dir.resolve("b0")))
                .hasMessage("latency budget must be a positive number of milliseconds, got 0.0");
        assertThatThrownBy(() -> fix().exportTo(dir.resolve("weights.pt")).run(dir.resolve("e")))
                .hasMessageContaining("export file must end in .safetensors");
        assertThat(dir.resolve("p1")).doesNotExist();
    }
}
