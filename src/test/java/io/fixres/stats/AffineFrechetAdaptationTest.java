package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AffineFrechetAdaptationTest {

    @Test
    void scaleAndShiftByHand() {
        AffineFrechetAdaptation a = new AffineFrechetAdaptation(1.0, 0.5, 2.0, 0.25);
        assertThat(a.scale()).isEqualTo(2.0);
        assertThat(a.shift()).isEqualTo(1.0 - 2.0 * 2.0);
        // mu_0 -> mu_ref, mu_0 + sigma_0 -> mu_ref + sigma_ref, zero stays zero.
        float[] mapped = a.apply(new float[] {2.0f, 2.25f, 0f, 3f});
        assertThat(mapped).containsExactly(1.0f, 1.5f, 0f, 3.0f);
    }

    @Test
    void applyCopiesAndApplyInPlaceDoesNot() {
        AffineFrechetAdaptation a = new AffineFrechetAdaptation(1.0, 0.5, 2.0, 0.25);
        float[] v = {2.25f, 0f};
        float[] copy = a.apply(v);
        assertThat(v).containsExactly(2.25f, 0f);
        assertThat(copy).containsExactly(1.5f, 0f);
        assertThat(a.applyInPlace(v)).isSameAs(v).containsExactly(1.5f, 0f);
    }

    @Test
    void refittingTheMappedSampleGivesTheReference() {
        FrechetFitResult measured = FrechetFit.fit(FrechetFitTest.frechetWithZeros(0.8, 0.25, 21), false, 0.3);
        FrechetFitResult reference = FrechetFit.fit(FrechetFitTest.frechetWithZeros(1.2, 0.4, 22), false, 0.3);
        AffineFrechetAdaptation a = AffineFrechetAdaptation.between(reference, measured);

        FrechetFitResult adapted = FrechetFit.fit(a.apply(FrechetFitTest.frechetWithZeros(0.8, 0.25, 21)), false, 0.3);
        assertThat(adapted.mu()).isCloseTo(reference.mu(), within(1e-4));
        assertThat(adapted.sigma()).isCloseTo(reference.sigma(), within(1e-4));
        assertThat(adapted.zeroFraction()).isEqualTo(measured.zeroFraction());
        // and the true reference distribution, within the sampling error of the fits
        assertThat(adapted.mu()).isCloseTo(1.2, within(0.015));
        assertThat(adapted.sigma()).isCloseTo(0.4, within(0.015));
    }

    @Test
    void refusesFitsWithDifferentShapes() {
        FrechetFitResult r = new FrechetFitResult(1, 1, 0.3, 0, 10, 10, 0, 0);
        FrechetFitResult m = new FrechetFitResult(1, 1, 0.25, 0, 10, 10, 0, 0);
        assertThatThrownBy(() -> AffineFrechetAdaptation.between(r, m)).hasMessageContaining("same fixed xi");
        FrechetFitResult truncated = new FrechetFitResult(1, 1, 0.3, 0, 10, 10, 0, 0, true);
        assertThatThrownBy(() -> AffineFrechetAdaptation.between(r, truncated)).hasMessageContaining("truncated at zero");
        assertThatThrownBy(() -> new AffineFrechetAdaptation(0, 1, 0, 0)).hasMessageContaining("sigma_0=0.0");
    }
}
