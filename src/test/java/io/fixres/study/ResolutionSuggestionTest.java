package io.fixres.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ResolutionSuggestionTest {
    @Test
    void resnet50TrainedAt224() {
        ResolutionSuggestion s = ResolutionSuggestion.of(224, 0.08, 1, 3.0 / 4, 4.0 / 3, 0.875, 32);
        assertThat(s.expectedSigma()).isCloseTo(0.70824, within(1e-5));
        assertThat(s.sizeRatioAtTrainRes()).isCloseTo(0.70824 / 0.875, within(1e-5));
        assertThat(s.equalisingTestRes()).isCloseTo(0.875 * 224 / 0.7082410, within(1e-3)); // 276.75
        assertThat(s.alignedTestRes()).isEqualTo(288);
        assertThat(s.expectedSigmaSampled()).isCloseTo(0.6671337, within(1e-6));
        assertThat(s.equalisingTestResSampled()).isCloseTo(0.875 * 224 / 0.6671337, within(1e-2)); // 293.8
        assertThat(s.alignedTestResSampled()).isEqualTo(288);
    }

    @Test
    void smallResNetTrainedAt24() {
        ResolutionSuggestion s = ResolutionSuggestion.of(24, 0.08, 1, 3.0 / 4, 4.0 / 3, 0.875, 4);
        assertThat(s.equalisingTestRes()).isCloseTo(29.65, within(0.01));
        assertThat(s.alignedTestRes()).isEqualTo(28);
        assertThat(s.equalisingTestResSampled()).isCloseTo(31.48, within(0.01));
        assertThat(s.alignedTestResSampled()).isEqualTo(32);
        // round(29.65) - 2 x 4 = 22 up to round(31.48) + 2 x 4 = 39
        assertThat(s.searchRange(2, 4)).containsExactlyElementsOf(IntStream.rangeClosed(22, 39).boxed().toList());
        assertThat(s.searchRange(8, 4).get(0)).isEqualTo(4); // clipped at the network's minimum
        assertThatThrownBy(() -> s.searchRange(-1, 4)).hasMessageContaining("search strides must be >= 0, got -1");
    }

    @Test
    void withoutAspectJitterBothPredictionsAgree() {
        ResolutionSuggestion s = ResolutionSuggestion.of(128, 0.08, 1, 1, 1, 0.875, 32);
        assertThat(s.equalisingTestResSampled()).isCloseTo(s.equalisingTestRes(), within(1e-6));
    }
}
