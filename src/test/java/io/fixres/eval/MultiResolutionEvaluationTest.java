package io.fixres.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.fixres.data.DecodedImageCache;
import io.fixres.data.ImageDataset;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.testing.TinyModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiResolutionEvaluationTest {

    @Test
    void oneDecodeForAllResolutionsGivesExactlyThePerResolutionEvaluation() {
        Engine.getInstance().setRandomSeed(3);
        ImageDataset images = TinyModels.images(45, 11); // 45: a partial last batch of 16
        DecodedImageCache counted = new DecodedImageCache(images, 0); // keeps nothing: counts every decode
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = TinyModels.net(manager);
            ModelCard card = TinyModels.card(net);
            List<Integer> resolutions = List.of(24, 12, 16, 20, 16);
            Map<Integer, Accuracy> together = new MultiResolutionEvaluation(net, card, manager, 16, 2)
                    .evaluate(counted, resolutions, 0.875, n -> { });
            assertThat(counted.decodes()).isEqualTo(45); // once per image, not once per resolution
            assertThat(together.keySet()).containsExactly(24, 12, 16, 20);
            ResolutionEvaluation separate = new ResolutionEvaluation(net, card, manager, 16, 2);
            for (int k : together.keySet()) {
                Accuracy one = together.get(k);
                ResolutionAccuracy alone = separate.at(images, k, 0.875, n -> { });
                assertThat(one.images()).isEqualTo(45);
                assertThat(one.top1()).as("top-1 at %d px", k).isEqualTo(alone.top1());
                assertThat(one.top5()).as("top-5 at %d px", k).isEqualTo(alone.top5());
                // the very same images right at top-1
                Accuracy aloneWithOutcomes = new AccuracyEvaluator(net.block(), manager, 16, 2)
                        .evaluate(images, io.fixres.model.CardTransforms.test(card, k, 0.875), n -> { });
                assertThat(one.outcomes().correct()).isEqualTo(aloneWithOutcomes.outcomes().correct());
            }
        }
    }

    @Test
    void countsDecodedImagesAndRefusesUselessResolutions() {
        ImageDataset images = TinyModels.images(20, 4);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = TinyModels.net(manager);
            ModelCard card = TinyModels.card(net);
            MultiResolutionEvaluation evaluation = new MultiResolutionEvaluation(net, card, manager, 8, 1);
            long[] done = {0};
            evaluation.evaluate(images, List.of(16, 20), 0.875, n -> done[0] += n);
            assertThat(done[0]).isEqualTo(20);
            assertThatThrownBy(() -> evaluation.evaluate(images, List.of(16, 1), 0.875, n -> { }))
                    .hasMessageContaining("1");
            assertThatThrownBy(() -> evaluation.evaluate(images, List.of(), 0.875, n -> { }))
                    .hasMessageContaining("test resolutions must name at least one resolution");
        }
    }
}
