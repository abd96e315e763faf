package io.fixres.study;

import io.fixres.testing.TinyData;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;
import io.fixres.train.TrainingProgress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.report.Table;
import io.fixres.study.AblationStudy.Variant;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LastBatchNormFineTuner.Recipe;
import io.fixres.transform.TrainAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid and ablation studies on tiny data with a tiny network trained in the test. */
class StudiesTest {
    private static final DataSplits DATA = TinyData.splits(48, 18);

    @TempDir
    static Path dir;

    static FromScratchTraining.Request training() {
        return TinyData.trainingRequest();
    }

    static Recipe recipe(LastBatchNormMode bn, FineTuneAugmentation da) {
        return new Recipe(bn, da, new SgdConfig(1, 16, 0.02f, 0.9f, 1e-4f, LearningRateSchedule.STEP, 9, 2));
    }

    /** Records the steps a study reports, and the passes (evaluations) with the images of each batch reported. */
    static final class Steps implements StudyProgress {
        final List<String> lines = new ArrayList<>();
        final List<String> passes = new ArrayList<>();

        @Override
        public TrainingProgress training() {
            return new TrainingProgress() {
                @Override
                public void passStarted(String name, long images) {
                    passes.add(name + " (" + images + " images):");
                }

                @Override
                public void imagesDone(int images) {
                    passes.set(passes.size() - 1, passes.get(passes.size() - 1) + " " + images);
                }
            };
        }

        @Override
        public void stepStarted(int step, int steps, String description, boolean cached) {
            lines.add(step + "/" + steps + " " + description.replace(dir.toString(), "DIR") + (cached ? " (cached)" : ""));
        }
    }

    @BeforeAll
    static void seed() {
        Engine.getInstance().setRandomSeed(1);
    }

    @Test
    void gridTrainsOneModelPerColumnFineTunesEveryCellAndReusesEverythingOnARerun() throws Exception {
        Path runs = dir.resolve("runs");
        ResolutionGridStudy.Request request = new ResolutionGridStudy.Request(List.of(16), List.of(12, 20),
                training(), TrainAugmentation.RRC, recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST), runs);
        ResultCache cache = ResultCache.jsonLines(dir.resolve("cells.jsonl"));
        Steps steps = new Steps();
        ResolutionGridStudy.Result result = ResolutionGridStudy.run(request, DATA, cache, steps);

        assertThat(steps.lines).containsExactly(
                "1/5 train DIR/runs/rrc-16",
                "2/5 evaluate DIR/runs/rrc-16 at 12 px (its last block kept for the fine-tunings)",
                "3/5 fine-tune DIR/runs/rrc-16 at 12 px",
                "4/5 evaluate DIR/runs/rrc-16 at 20 px (its last block kept for the fine-tunings)",
                "5/5 fine-tune DIR/runs/rrc-16 at 20 px");
        // one evaluation pass per K, reporting each of its batches (18 test images: one batch of 18); the
        // fine-tuned accuracy comes from the activations it kept, without another pass
        assertThat(steps.passes).containsExactly(
                "evaluate at 12 px (18 images): 18",
                "evaluate at 20 px (18 images): 18");
        assertThat(RunDirectory.isComplete(runs.resolve("rrc-16"))).isTrue();
        assertThat(runs.resolve("rrc-16").resolve(RunDirectory.METRICS_FILE)).isRegularFile();
        assertThat(result.cells()).extracting(ResolutionGridStudy.Cell::testResolution).containsExactly(12, 20);
        assertThat(result.cells()).allSatisfy(c -> {
            assertThat(c.trainResolution()).isEqualTo(16);
            assertThat(c.noFineTuning().images()).isEqualTo(18);
            assertThat(c.fineTuned().images()).isEqualTo(18);
        });
        assertThat(result.fineTuning()).isEqualTo("classifier + batch-norm (stats), test DA, 1 epochs, batch 16, lr 0.02 (step)");
        Table left = result.withoutFineTuning();
        Table right = result.withFineTuning();
        assertThat(left.headers()).containsExactly("test \\ train", "16");
        assertThat(right.rowCount()).isEqualTo(2);
        assertThat(right.cell(1, 1).value()).isEqualTo(result.cells().get(1).fineTuned().top1());

        String card = Files.readString(runs.resolve("rrc-16/model.json"));
        Steps again = new Steps();
        ResolutionGridStudy.Result rerun = ResolutionGridStudy.run(request, DATA,
                ResultCache.jsonLines(dir.resolve("cells.jsonl")), again);
        assertThat(again.lines).containsExactly(
                "1/5 reuse DIR/runs/rrc-16 (cached)",
                "2/5 evaluate DIR/runs/rrc-16 at 12 px (cached)",
                "3/5 fine-tune DIR/runs/rrc-16 at 12 px (cached)",
                "4/5 evaluate DIR/runs/rrc-16 at 20 px (cached)",
                "5/5 fine-tune DIR/runs/rrc-16 at 20 px (cached)");
        assertThat(rerun).isEqualTo(result);
        assertThat(Files.readString(runs.resolve("rrc-16/model.json"))).isEqualTo(card);

        // a run trained differently is refused, not silently reused
        ResolutionGridStudy.Request otherAug = new ResolutionGridStudy.Request(List.of(16), List.of(12),
                training(), TrainAugmentation.RESIZE_CROP, null, runs);
        Files.createDirectories(runs.resolve("resize-crop-16"));
        Files.copy(runs.resolve("rrc-16/model.json"), runs.resolve("resize-crop-16/model.json"));
        Files.copy(runs.resolve("rrc-16/model.params"), runs.resolve("resize-crop-16/model.params"));
        assertThatThrownBy(() -> ResolutionGridStudy.run(otherAug, DATA, ResultCache.NONE, StudyProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resize-crop-16 holds a resnet-small trained at 16 px with rrc, not the "
                        + "resnet-small at 16 px with resize-crop this grid expects");
    }

    @Test
    void gridRefusesATestResolutionBelowTheNetworksMinimumBeforeTraining() {
        ResolutionGridStudy.Request request = new ResolutionGridStudy.Request(List.of(16), List.of(3, 16),
                training(), TrainAugmentation.RRC, null, dir.resolve("never"));
        assertThatThrownBy(() -> ResolutionGridStudy.run(request, DATA, ResultCache.NONE, StudyProgress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input resolution 3 px is below the minimum 4 px");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void ablationGivesEveryTable6RowAndTable8FromFreshLoadsOfTheCheckpoint() throws Exception {
        Path model = dir.resolve("ablation-model");
        RunDirectory.train(model, training(), DATA, false, TrainingProgress.NONE, m -> { });
        byte[] weights = Files.readAllBytes(model.resolve("model.params"));
        Recipe recipe = recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST);
        Steps steps = new Steps();
        AblationStudy.Result result = AblationStudy.run(new AblationStudy.Request(model, List.of(20), recipe),
                DATA, ResultCache.inMemory(), steps);

        assertThat(steps.lines).containsExactly(
                "1/9 evaluate ablation-model at 20 px (its last block kept for the fine-tunings)",
                "2/9 fine-tune ablation-model at 20 px: classifier/train",
                "3/9 fine-tune ablation-model at 20 px: classifier/test",
                "4/9 fine-tune ablation-model at 20 px: classifier+bn/train",
                "5/9 fine-tune ablation-model at 20 px: classifier+bn/test",
                "6/9 fine-tune ablation-model at 20 px: classifier+bn/test2",
                "7/9 fine-tune ablation-model at 20 px: cached/classifier+bn/test (its pass also gives recalibrate-last)",
                "8/9 fine-tune ablation-model at 20 px: recalibrate-last (cached)",
                "9/9 fine-tune ablation-model at 20 px: recalibrate-all");
        assertThat(Files.readAllBytes(model.resolve("model.params"))).isEqualTo(weights);

        // each variant starts from the checkpoint: the last one, run alone, gives the same accuracy
        LastBatchNormFineTuner.Request alone = new LastBatchNormFineTuner.Request(20, LastBatchNormMode.STATS,
                FineTuneAugmentation.TEST2, recipe.sgd());
        ResolutionAccuracy expected = LastBatchNormFineTuner.runOnCheckpoint(model, DATA, alone,
                TrainingProgress.NONE, null).after();
        assertThat(result.fineTuned(Variant.CLASSIFIER_BN_TEST_DA2, 20)).isEqualTo(expected);

        Table table6 = result.table6();
        assertThat(table6.headers()).containsExactly("Train resolution", "Classifier", "Batch-norm", "Data aug.",
                "Method", "20");
        assertThat(table6.rowCount()).isEqualTo(8);
        assertThat(table6.rowCells(0)).extracting(c -> c.display()).startsWith("16", "-", "-", "n/a", "-");
        assertThat(table6.rowCells(1)).extracting(c -> c.display()).startsWith("", "✓", "-", "train DA", "SGD");
        assertThat(table6.rowCells(4)).extracting(c -> c.display()).startsWith("", "✓", "✓", "test DA", "SGD");
        assertThat(table6.rowCells(5)).extracting(c -> c.display()).startsWith("", "✓", "✓", "test DA", "one pass");
        assertThat(table6.rowCells(6)).extracting(c -> c.display()).startsWith("", "-", "last, no labels", "test DA",
                "recalibration");
        assertThat(table6.rowCells(7)).extracting(c -> c.display()).startsWith("", "-", "all, no labels");
        assertThat(table6.cell(0, 5).value()).isEqualTo(result.noFineTuning().get(20).top1());
        assertThat(table6.cell(2, 5).value()).isEqualTo(result.fineTuned(Variant.CLASSIFIER_TEST_DA, 20).top1());
        assertThat(table6.cell(6, 5).value()).isEqualTo(result.fineTuned(Variant.RECALIBRATE_LAST_BN, 20).top1());
        assertThat(table6.cell(4, 5).isBest()).isTrue(); // one accuracy per row: it is the row's best
        Table table8 = result.table8();
        assertThat(table8.headers()).containsExactly("Model", "Train", "Test", "Top-1 test DA (%)", "Top-1 test DA2 (%)");
        assertThat(table8.rowCells(0)).extracting(c -> c.display()).startsWith("ablation-model", "16", "20");
        assertThat(table8.cell(0, 4).value()).isEqualTo(result.fineTuned(Variant.CLASSIFIER_BN_TEST_DA2, 20).top1());
        double da = table8.cell(0, 3).value();
        double da2 = table8.cell(0, 4).value();
        assertThat(table8.cell(0, 3).isBest()).isEqualTo(da >= da2);
        assertThat(table8.cell(0, 4).isBest()).isEqualTo(da2 >= da);
    }

    @Test
    void gridMeasuresTheAblationsCellsOffItsOwnEvaluationsSoTheAblationRunsNoPass() throws Exception {
        Path runs = dir.resolve("runs-alongside");
        Recipe recipe = recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST);
        ResolutionGridStudy.Request grid = new ResolutionGridStudy.Request(List.of(16), List.of(12, 20),
                training(), TrainAugmentation.RRC, recipe, runs);
        // the default profile's rows: every variant but the recalibration of every BatchNorm
        List<Variant> variants = java.util.Arrays.stream(Variant.values())
                .filter(v -> v != Variant.RECALIBRATE_ALL_BN).toList();
        AblationStudy.Request ablation = new AblationStudy.Request(grid.runDir(16), List.of(20), recipe, variants);
        ResultCache cache = ResultCache.inMemory();
        Steps gridSteps = new Steps();
        ResolutionGridStudy.run(grid, DATA, DATA, cache, gridSteps, ablation);

        // at 20 px the grid's one evaluation serves its own fine-tuning (classifier+bn/test) and the
        // ablation's 6 others; at 12 px, not an ablation resolution, only its own
        assertThat(gridSteps.lines).containsExactly(
                "1/11 train DIR/runs-alongside/rrc-16",
                "2/11 evaluate DIR/runs-alongside/rrc-16 at 12 px (its last block kept for the fine-tunings)",
                "3/11 fine-tune DIR/runs-alongside/rrc-16 at 12 px",
                "4/11 evaluate DIR/runs-alongside/rrc-16 at 20 px (its last block kept for the fine-tunings)",
                "5/11 fine-tune DIR/runs-alongside/rrc-16 at 20 px",
                "6/11 fine-tune the ablation's rrc-16 at 20 px: classifier/train",
                "7/11 fine-tune the ablation's rrc-16 at 20 px: classifier/test",
                "8/11 fine-tune the ablation's rrc-16 at 20 px: classifier+bn/train",
                "9/11 fine-tune the ablation's rrc-16 at 20 px: classifier+bn/test2",
                "10/11 fine-tune the ablation's rrc-16 at 20 px: cached/classifier+bn/test (its pass also gives "
                        + "recalibrate-last)",
                "11/11 fine-tune the ablation's rrc-16 at 20 px: recalibrate-last (cached)");
        // the test images are evaluated once per K; the one-pass row's statistics pass over the training images
        // is also the recalibration of the last BatchNorm, which runs no pass of its own
        assertThat(gridSteps.passes).filteredOn(pass -> pass.startsWith("evaluate")).containsExactly(
                "evaluate at 12 px (18 images): 18",
                "evaluate at 20 px (18 images): 18");
        assertThat(gridSteps.passes).filteredOn(pass -> pass.startsWith("statistics")).hasSize(1);
        assertThat(gridSteps.passes).noneMatch(pass -> pass.startsWith("recalibration"));

        // the same accuracy as the recalibration on its own pass, from a fresh load
        AblationStudy.Result alone = AblationStudy.run(new AblationStudy.Request(grid.runDir(16), List.of(20), recipe,
                List.of(Variant.CLASSIFIER_BN_TEST_DA, Variant.CLASSIFIER_BN_TEST_DA2, Variant.RECALIBRATE_LAST_BN)),
                DATA, ResultCache.inMemory(), new Steps());

        Steps ablationSteps = new Steps();
        AblationStudy.Result result = AblationStudy.run(ablation, DATA, cache, ablationSteps);
        assertThat(result.fineTuned(Variant.RECALIBRATE_LAST_BN, 20))
                .isEqualTo(alone.fineTuned(Variant.RECALIBRATE_LAST_BN, 20));
        assertThat(ablationSteps.lines).hasSize(8).allSatisfy(line -> assertThat(line).endsWith("(cached)"));
        assertThat(ablationSteps.passes).isEmpty();
        assertThat(result.fineTuned().keySet()).containsExactlyElementsOf(variants);
        assertThat(result.table6().rowCount()).isEqualTo(7); // no fine-tuning, then the 6 Table 6 rows asked for
    }

    @Test
    void ablationRefusesADirectoryWithoutACardAndClassifierOnlyBatchNormRows() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> AblationStudy.check(new AblationStudy.Request(empty, List.of(16),
                recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(empty + " has no model.json: not a fixres checkpoint");
        assertThatThrownBy(() -> new AblationStudy.Request(empty, List.of(16), recipe(LastBatchNormMode.NONE, FineTuneAugmentation.TEST)))
                .hasMessageContaining("last batch-norm mode must be stats or affine (none leaves the ablation's batch-norm rows without a batch-norm), got none");
    }
}
