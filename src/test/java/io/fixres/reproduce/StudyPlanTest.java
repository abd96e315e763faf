package io.fixres.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.io.InvalidParameterException;
import io.fixres.io.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyPlanTest {
    private static final int ALL = Integer.MAX_VALUE;

    /** Every setting in the order of the old 19-argument record, then the seeds. */
    private static List<Object> settings(StudyPlan p) {
        return Arrays.asList(p.profile(), p.architecture(), p.width(), p.mainTrainResolution(), p.gridTrainResolutions(),
                p.gridTestResolutions(), p.limitTrain(), p.limitTest(), p.epochs(), p.batchSize(), p.learningRate(),
                p.fineTuneEpochs(), p.fineTuneLimitTrain(), p.sweepFrom(), p.sweepTo(), p.sweepLimitTest(),
                p.statsLimitImages(), p.timingRepeats(), p.timingBatchSize(), p.seeds(), p.seedTestResolutions());
    }

    @Test
    void theBuildersDefaultsAreTheDefaultProfilesOldValuesWithThreeSeeds() {
        assertThat(settings(StudyPlan.builder().build())).containsExactly("default", "resnet-small", 1.0, 24,
                List.of(16, 24), List.of(16, 20, 24, 28, 32, 40, 48), 20000, 10000, 4, 128, 0.1f, 1, 5120, 16, 56, 1000,
                5000, 10, 64, List.of(0L, 1L, 2L), List.of(20, 24, 28, 32));
        assertThat(StudyPlan.profile("default")).isEqualTo(StudyPlan.builder().build());
        assertThat(StudyPlan.profile("standard")).isEqualTo(StudyPlan.profile("DEFAULT"));
    }

    @Test
    void quickAndFullKeepTheirOldValues() {
        assertThat(settings(StudyPlan.profile("quick"))).containsExactly("quick", "resnet-small", 0.5, 24,
                List.of(16, 24), List.of(16, 20, 24, 28, 32), 5000, 1000, 3, 128, 0.1f, 1, 2560, 16, 40, 500, 1000, 3, 32,
                List.of(0L), List.of(20, 24, 28, 32));
        assertThat(settings(StudyPlan.profile("full"))).containsExactly("full", "resnet-small", 1.0, 24,
                List.of(16, 20, 24, 28, 32), List.of(16, 20, 24, 28, 32, 36, 40, 48, 56, 64), ALL, ALL, 10, 128, 0.1f,
                3, 20000, 12, 80, ALL, 20000, 20, 64, List.of(0L, 1L, 2L), List.of(16, 20, 24, 28, 32, 36, 40, 48, 56, 64));
    }

    @Test
    void onlyTheFullProfileRecalibratesEveryBatchNorm() {
        assertThat(StudyPlan.profile("quick").recalibrateAllBatchNorms()).isFalse();
        assertThat(StudyPlan.profile("default").recalibrateAllBatchNorms()).isFalse();
        assertThat(StudyPlan.profile("full").recalibrateAllBatchNorms()).isTrue();
        assertThat(StudyPlan.builder().recalibrateAllBatchNorms(true).build().toBuilder().build()
                .recalibrateAllBatchNorms()).isTrue();
    }

    @Test
    void toBuilderChangesOnlyWhatItIsTold() {
        StudyPlan quick = StudyPlan.profile("quick");
        StudyPlan more = quick.toBuilder().seeds(List.of(3L, 4L)).build();
        assertThat(more.seeds()).containsExactly(3L, 4L);
        assertThat(more.firstSeed()).isEqualTo(3L);
        assertThat(more.toBuilder().seeds(List.of(0L)).build()).isEqualTo(quick);
    }

    @Test
    void jsonNamesEverySettingInSnakeCase() {
        String json = Json.toString(StudyPlan.profile("quick")).replaceAll("\\s+", "");
        assertThat(json).isEqualTo("{\"profile\":\"quick\",\"architecture\":\"resnet-small\",\"width\":0.5,"
                + "\"main_train_res\":24,\"grid_train_res\":[16,24],\"grid_test_res\":[16,20,24,28,32],\"seeds\":[0],\"seed_test_res\":[20,24,28,32],"
                + "\"limit_train\":5000,\"limit_test\":1000,\"epochs\":3,\"batch_size\":128,\"learning_rate\":0.1,"
                + "\"fine_tune_epochs\":1,\"fine_tune_limit_train\":2560,\"sweep_from\":16,\"sweep_to\":40,"
                + "\"sweep_limit_test\":500,\"stats_limit_images\":1000,\"timing_repeats\":3,\"timing_batch_size\":32,\"recalibrate_all_bn\":false}");
    }

    @Test
    void inconsistentSettingsNameTheSetting() {
        assertThatThrownBy(() -> StudyPlan.builder().mainTrainResolution(20).build())
                .isInstanceOf(InvalidParameterException.class)
                .hasMessage("grid train resolutions must include the main train resolution 20, got [16, 24]");
        assertThatThrownBy(() -> StudyPlan.builder().sweepFrom(30).sweepTo(20).build())
                .hasMessage("sweep range must not be empty, got 30..20");
        assertThatThrownBy(() -> StudyPlan.builder().seeds(List.of()).build())
                .hasMessage("seeds must name at least one training seed, got []");
        assertThatThrownBy(() -> StudyPlan.builder().seeds(List.of(1L, 1L)).build())
                .hasMessage("seeds must be distinct, got [1, 1]");
        assertThatThrownBy(() -> StudyPlan.builder().seedTestResolutions(List.of(20, 28)).build())
                .hasMessage("seed test resolutions must include the main train resolution 24 among the grid's "
                        + "[16, 20, 24, 28, 32, 40, 48], got [20, 28]");
        assertThat(StudyPlan.builder().gridTestResolutions(List.of(16, 24, 28, 40)).build().seedTestResolutions())
                .as("those of the grid's the list names").containsExactly(24, 28);
        assertThatThrownBy(() -> StudyPlan.profile("huge"))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessage("profile must be one of quick, default, full, got huge");
    }
}
