package io.fixres.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fixres.io.Json;
import io.fixres.stats.BinomialInterval;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class ResolutionAccuracyTest {

    /** Images 0, 2, 3, 7, 8, 9 of 10 right: bytes 0x8D 0x03, "jQM=" in Base64. */
    private static Top1Outcomes sixOfTen() {
        BitSet bits = new BitSet();
        for (int i : new int[] {0, 2, 3, 7, 8, 9}) {
            bits.set(i);
        }
        return new Top1Outcomes(bits, 10);
    }

    @Test
    void jsonCarriesTheWilsonIntervalAndTheOutcomesAndReadsBackEqual() throws Exception {
        ResolutionAccuracy a = new ResolutionAccuracy(24, 60.0, 90.0, 10, sixOfTen());
        String json = Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(a);
        String low = String.valueOf(BinomialInterval.wilson(6, 10).low());
        String high = String.valueOf(BinomialInterval.wilson(6, 10).high());
        assertThat(json).isEqualTo("{\"test_res\":24,\"top1\":60.0,\"top5\":90.0,\"images\":10,\"top1_low\":" + low
                + ",\"top1_high\":" + high + ",\"top1_outcomes\":\"jQM=\"}");
        ResolutionAccuracy back = Json.mapper().readValue(json, ResolutionAccuracy.class);
        assertThat(back).isEqualTo(a);
        assertThat(back.outcomes().toArray()).containsExactly(true, false, true, true, false, false, false, true, true, true);
    }

    @Test
    void theIntervalIsWilsonsOnTheHits() {
        ResolutionAccuracy a = new ResolutionAccuracy(32, 80.0, 99.0, 100);
        assertThat(a.top1Hits()).isEqualTo(80);
        assertThat(a.top1Low()).isCloseTo(71.12, within(0.01));
        assertThat(a.top1High()).isCloseTo(86.67, within(0.01));
        assertThat(a.top1Interval().estimate()).isEqualTo(80.0);
    }

    @Test
    void anOldEntryWithoutOutcomesOrIntervalStillLoads() throws Exception {
        ResolutionAccuracy old = Json.mapper().readValue("{\"test_res\":24,\"top1\":91.25,\"top5\":99.5,\"images\":2000}",
                ResolutionAccuracy.class);
        assertThat(old).isEqualTo(new ResolutionAccuracy(24, 91.25, 99.5, 2000));
        assertThat(old.outcomes()).isNull();
        assertThat(Json.toString(old)).doesNotContain("top1_outcomes").contains("\"top1_low\"");
    }

    @Test
    void outcomesOfAnotherImageCountAreRefused() {
        assertThatThrownBy(() -> new ResolutionAccuracy(24, 60.0, 90.0, 11, sixOfTen()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 images").hasMessageContaining("11 images");
    }

    @Test
    void anEvaluatedAccuracyKeepsItsOutcomes() {
        Accuracy measured = new Accuracy(60.0, 90.0, 10, sixOfTen());
        assertThat(ResolutionAccuracy.of(20, measured).outcomes()).isEqualTo(sixOfTen());
    }
}
