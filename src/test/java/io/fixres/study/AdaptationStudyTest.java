package io.fixres.study;

import io.fixres.activation.AdaptationHooks;
import io.fixres.activation.AdaptationMethod;
import io.fixres.activation.AdaptationRecord;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.testing.TinyModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.core.ActivationHook;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.report.Table;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdaptationStudyTest {
    private NDManager manager;
    private ResNet net;
    private ModelCard card;
    private final ImageDataset train = TinyModels.images(24, 3);
    private final ImageDataset test = TinyModels.images(20, 4);

    private record Call(int resolution, ClassifierFineTuning.Scope scope, ActivationHook hook, ResolutionAccuracy before) {}

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(9);
        manager = NDManager.newBaseManager();
        net = TinyModels.net(manager);
        card = TinyModels.card(net);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void table4RowsMeasureAdaptAndDelegateTheFineTunings() throws Exception {
        List<Call> calls = new ArrayList<>();
        AdaptationStudy study = new AdaptationStudy(net, card, manager, 8, 1).seed(1).fineTuning((k, scope, hook, before) -> {
            calls.add(new Call(k, scope, hook, before));
            return new ResolutionAccuracy(k, 10 * calls.size(), 100, 20);
        });
        AdaptationStudy.Result result = study.run(AdaptationStudy.table4Rows(AdaptationMethod.GAUSSIAN), train, test,
                List.of(16, 24), AdaptationStudy.Progress.NONE);

        assertThat(net.getActivationHook()).isSameAs(ActivationHook.IDENTITY);
        assertThat(result.trainResolution()).isEqualTo(16);
        assertThat(result.statisticsImages()).isEqualTo(24);
        // at the train resolution the test statistics are the reference ones: both maps are the identity
        AdaptationStudy.ResolutionStatistics atTrain = result.statistics().get(0);
        assertThat(atTrain.frechet().scale()).containsExactly(1.0);
        assertThat(atTrain.frechet().shift()).containsExactly(0.0);
        assertThat(atTrain.gaussian().scale()).containsOnly(1.0);
        assertThat(atTrain.gaussian().shift()).containsOnly(0.0);
        assertThat(atTrain.frechetFit()).isEqualTo(result.reference());
        assertThat(result.statistics().get(1).gaussian().scale()).isNotEqualTo(atTrain.gaussian().scale());

        List<String> names = result.rows().stream().map(r -> r.row().name()).toList();
        assertThat(names).containsExactly("baseline", "adapted Fréchet (A.1)", "adapted Gaussian (A.2)",
                "FT classifier", "FT classifier + BN", "adapted Gaussian (A.2) + FT classifier",
                "recalibration of the last BN (no labels)", "recalibration of every BN (no labels)");
        ResolutionEvaluation direct = new ResolutionEvaluation(net, card, manager, 8, 1);
        for (int column = 0; column < 2; column++) {
            int k = List.of(16, 24).get(column);
            ResolutionAccuracy baseline = direct.at(test, k, card.getTestCropRatio(), n -> { });
            assertThat(result.rows().get(0).accuracies().get(column)).isEqualTo(baseline);
        }
        // identity maps at 16 px leave the accuracy as it is
        assertThat(result.rows().get(1).accuracies().get(0).top1()).isEqualTo(result.rows().get(0).accuracies().get(0).top1());
        assertThat(result.rows().get(2).accuracies().get(0).top1()).isEqualTo(result.rows().get(0).accuracies().get(0).top1());

        // fine-tuning rows: resolution by resolution, the combined row with the Gaussian hook installed
        assertThat(calls).extracting(Call::resolution).containsExactly(16, 16, 16, 16, 16, 24, 24, 24, 24, 24);
        assertThat(calls).extracting(Call::scope).containsExactly(
                ClassifierFineTuning.Scope.CLASSIFIER, ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM,
                ClassifierFineTuning.Scope.CLASSIFIER, ClassifierFineTuning.Scope.RECALIBRATE_LAST,
                ClassifierFineTuning.Scope.RECALIBRATE_ALL,
                ClassifierFineTuning.Scope.CLASSIFIER, ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM,
                ClassifierFineTuning.Scope.CLASSIFIER, ClassifierFineTuning.Scope.RECALIBRATE_LAST,
                ClassifierFineTuning.Scope.RECALIBRATE_ALL);
        assertThat(calls.get(5).hook()).isSameAs(ActivationHook.IDENTITY);
        assertThat(calls.get(7).hook()).isNotSameAs(ActivationHook.IDENTITY);
        assertThat(calls.get(8).hook()).isSameAs(ActivationHook.IDENTITY);
        // the accuracy before fine-tuning is handed over: baseline for FT rows, the Gaussian row for the combined one
        assertThat(calls.get(5).before()).isEqualTo(result.rows().get(0).accuracies().get(1));
        assertThat(calls.get(6).before()).isEqualTo(result.rows().get(0).accuracies().get(1));
        assertThat(calls.get(7).before()).isEqualTo(result.rows().get(2).accuracies().get(1));
        assertThat(result.rows().get(5).accuracies()).extracting(ResolutionAccuracy::top1).containsExactly(30.0, 80.0);

        AdaptationRecord saved = result.adaptation(AdaptationMethod.GAUSSIAN, 24);
        assertThat(saved.accuracyBefore()).isEqualTo(result.rows().get(0).accuracies().get(1).top1());
        assertThat(saved.accuracyAfter()).isEqualTo(result.rows().get(2).accuracies().get(1).top1());
        assertThat(saved.testResolution()).isEqualTo(24);
        assertThat(saved.referenceResolution()).isEqualTo(16);

        Table table = result.table("Table 4");
        assertThat(table.headers()).containsExactly("adapted distribution", "FT classifier", "FT batch-norm", "16 px", "24 px");
        assertThat(table.rowCount()).isEqualTo(8);
        assertThat(table.cell(4, 1).display()).isEqualTo("yes");
        assertThat(table.cell(4, 2).display()).isEqualTo("yes");
        assertThat(table.cell(6, 1).display()).isEqualTo("-");
        assertThat(table.cell(6, 2).display()).isEqualTo("last, no labels");
        assertThat(table.cell(7, 2).display()).isEqualTo("all, no labels");
        assertThat(table.cell(5, 0).display()).isEqualTo("Gaussian (A.2)");
    }

    @Test
    void fineTuningRowsNeedAFineTuningAndTheNetworkMustBeUnadapted() {
        AdaptationStudy study = new AdaptationStudy(net, card, manager, 8, 1);
        assertThatThrownBy(() -> study.run(AdaptationStudy.table4Rows(AdaptationMethod.FRECHET), train, test,
                List.of(16), AdaptationStudy.Progress.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ClassifierFineTuning");
        net.setActivationHook(AdaptationHooks.pooledAffine(2, 0));
        assertThatThrownBy(() -> study.run(AdaptationStudy.adaptRows(AdaptationMethod.FRECHET), train, test,
                List.of(16), AdaptationStudy.Progress.NONE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unadapted");
    }

    @Test
    void theBaselineIsReadFromItsCellWhenKnownAndWrittenThereOtherwise() throws Exception {
        ResultCache cells = ResultCache.inMemory();
        io.fixres.data.DataSplits splits = new io.fixres.data.DataSplits(train, test, "tiny",
                io.fixres.testing.TinyData.NORMALIZATION);
        java.util.function.IntFunction<CellKey> keyOf = k -> CellKey.noFineTuning(splits, java.nio.file.Path.of("rrc-16"),
                card, k);
        ResolutionAccuracy known = new ResolutionAccuracy(16, 12.5, 50, 20);
        cells.put(keyOf.apply(16), known);
        AdaptationStudy.Result result = new AdaptationStudy(net, card, manager, 8, 1).untouchedCells(cells, keyOf)
                .run(AdaptationStudy.adaptRows(AdaptationMethod.GAUSSIAN), train, test, List.of(16, 24),
                        AdaptationStudy.Progress.NONE);

        assertThat(result.rows().get(0).accuracies().get(0)).isSameAs(known);
        ResolutionAccuracy measured = new ResolutionEvaluation(net, card, manager, 8, 1)
                .at(test, 24, card.getTestCropRatio(), n -> { });
        assertThat(result.rows().get(0).accuracies().get(1)).isEqualTo(measured);
        assertThat(cells.get(keyOf.apply(24))).contains(measured);
        // an adapted row is never a cell: at 16 px (the identity map) it is measured, not the cell's 12.5
        assertThat(result.rows().get(1).accuracies().get(0).top1()).isNotEqualTo(12.5);
    }

    @Test
    void freshCopiesReadTheAblationsCellForAnUnadaptedRowAndFineTuneOnlyOnAMiss(@org.junit.jupiter.api.io.TempDir
                                                                              java.nio.file.Path dir) throws Exception {
        java.nio.file.Path checkpoint = TinyModels.checkpoint(dir.resolve("rrc-16"), 16);
        io.fixres.data.DataSplits splits = new io.fixres.data.DataSplits(train, test, "tiny",
                io.fixres.testing.TinyData.NORMALIZATION);
        var recipe = new io.fixres.train.LastBatchNormFineTuner.Recipe(io.fixres.core.LastBatchNormMode.STATS,
                io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation.TEST,
                new io.fixres.train.SgdConfig(1, 8, 0.01f, 0.9f, 1e-4f, io.fixres.train.LearningRateSchedule.COSINE, 0, 1));
        ModelCard saved = ModelCard.read(checkpoint.resolve(io.fixres.model.Checkpoint.CARD_FILE));
        CellKey untouched = CellKey.noFineTuning(splits, checkpoint, saved, 24);
        // the keys AblationStudy gives its classifier/test and recalibrate-last rows
        CellKey classifier = untouched.fineTuned(io.fixres.train.FixResMethod.SGD, AblationStudy.Variant.CLASSIFIER_TEST_DA
                .recipe(recipe).at(24), splits);
        CellKey recalibrated = untouched.fineTuned(io.fixres.train.FixResMethod.RECALIBRATE_LAST,
                AblationStudy.Variant.RECALIBRATE_LAST_BN.recipe(recipe).at(24), splits);
        ResultCache cells = ResultCache.inMemory();
        ResolutionAccuracy known = new ResolutionAccuracy(24, 42.0, 60, 20);
        cells.put(classifier, known);
        ClassifierFineTuning rows = ClassifierFineTuning.freshCopies(checkpoint, splits, recipe,
                label -> io.fixres.train.TrainingProgress.NONE, cells);

        assertThat(rows.fineTune(24, ClassifierFineTuning.Scope.CLASSIFIER, ActivationHook.IDENTITY, null)).isSameAs(known);
        ResolutionAccuracy measured = rows.fineTune(24, ClassifierFineTuning.Scope.RECALIBRATE_LAST,
                ActivationHook.IDENTITY, null);
        assertThat(cells.get(recalibrated)).contains(measured);
        // with an adaptation installed the row is measured, not the unadapted cell
        ResolutionAccuracy adapted = rows.fineTune(24, ClassifierFineTuning.Scope.CLASSIFIER,
                AdaptationHooks.pooledAffine(1, 0), null);
        assertThat(adapted).isNotSameAs(known);
        assertThat(adapted.images()).isEqualTo(20);
    }
}
