package io.fixres.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.model.ModelCard;
import io.fixres.testing.TinyData;
import io.fixres.train.RunDirectory;
import io.fixres.train.TrainingProgress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/library.md's example runs as written, on a tiny checkpoint trained here. */
class LibraryExampleTest {
    @TempDir
    Path dir;

    @Test
    void theExampleFixesACheckpointAtItsBestTestResolutionAndSavesIt() throws Exception {
        Path data = TinyData.writeIdx(dir.resolve("data"), 300, 18);
        DataSplits splits = DatasetResolver.standard().resolve(data.toString());
        Path checkpoint = dir.resolve("model");
        RunDirectory.train(checkpoint, TinyData.trainingRequest(), splits, false, TrainingProgress.NONE, m -> { });

        var result = LibraryExample.fix(checkpoint, data.toString(), dir.resolve("fixed"), List.of(12, 16, 20));

        assertThat(List.of(12, 16, 20)).contains(result.after().testResolution());
        assertThat(result.before().images()).isEqualTo(18);
        ModelCard saved = ModelCard.read(dir.resolve("fixed/model.json"));
        assertThat(saved.getRecommendedTestResolution()).isEqualTo(result.after().testResolution());
        assertThat(saved.getFineTunings()).hasSize(1);
        assertThat(saved.getFineTunings().get(0).accuracyAfter()).isEqualTo(result.after().top1());
    }
}
