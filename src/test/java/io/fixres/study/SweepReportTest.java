package io.fixres.study;

import io.fixres.eval.ResolutionAccuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.report.LinePlot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepReportTest {

    /** A sweep of the small ResNet (map ceil(r / 4)) from {@code from} with the given top-1 values. */
    static SweepResult sweep(String label, int from, double... top1) {
        List<ResolutionAccuracy> results = new ArrayList<>();
        List<SweepPoint> points = new ArrayList<>();
        for (int i = 0; i < top1.length; i++) {
            ResolutionAccuracy r = new ResolutionAccuracy(from + i, top1[i], 99.5, 200);
            results.add(r);
            points.add(SweepPoint.of(r, (from + i + 3) / 4));
        }
        BorderEffects effects = BorderEffects.analyse(results, r -> (r + 3) / 4, 4);
        return new SweepResult(label, "resnet-small", 24, 0.875, points, effects);
    }

    @Test
    void csvHasOneRowPerModelAndResolution() {
        String csv = SweepReport.table(List.of(sweep("rrc 24px", 19, 80, 81.5, 81.25), sweep("rrc 32px", 20, 70))).toCsv();
        assertThat(csv).isEqualTo(
                "model,test_res,feature_map,top1,top5,images,change_point\r\n"
                        + "rrc 24px,19,5,80.00,99.50,200,no\r\n"
                        + "rrc 24px,20,5,81.50,99.50,200,no\r\n"
                        + "rrc 24px,21,6,81.25,99.50,200,yes\r\n"
                        + "rrc 32px,20,5,70.00,99.50,200,no\r\n");
    }

    @Test
    void summaryStatesBestAlignedChangesDropsAndSteps() {
        String text = SweepReport.summary(sweep("rrc 24px", 19, 80, 81.5, 81.25, 82));
        assertThat(text).contains("rrc 24px (resnet-small, total stride 4, crop ratio 0.875)")
                .contains("best: 22 px, top-1 82.00%; best stride-aligned (multiple of 4): 20 px, top-1 81.50%")
                .contains("final map grows at: 21 (5->6)")
                .contains("drops just after a change point: 21 px -0.25")
                .contains("1-px steps across a change point: 1, 1 lower (100%), mean change -0.25 points")
                .contains("other 1-px steps: 2, 0 lower (0%), mean change +1.13 points");
        assertThat(SweepReport.summary(sweep("x", 21, 80))).contains("no multiple of the stride 4 was measured")
                .contains("final map grows at: none in range").contains("drops just after a change point: none")
                .contains("across a change point: none");
    }

    @Test
    void plotHasOneCurvePerModelAndALineBeforeEveryChangePoint() {
        LinePlot plot = SweepReport.plot(List.of(sweep("rrc 24px", 16, 1, 2, 3, 4, 5, 6), sweep("rrc 32px", 20, 1, 2, 3, 4, 5, 6)), "t");
        assertThat(plot.series()).extracting(LinePlot.Series::name).containsExactly("rrc 24px", "rrc 32px");
        assertThat(plot.series().get(1).x()).containsExactly(20, 21, 22, 23, 24, 25);
        assertThat(plot.series().get(1).y()).containsExactly(1, 2, 3, 4, 5, 6);
        // 16..21 changes at 17 and 21; 20..25 at 21 and 25: one line each, half a pixel before.
        assertThat(plot.verticalLines()).containsExactly(
                new LinePlot.VerticalLine(16.5, "5x5"), new LinePlot.VerticalLine(20.5, "6x6"),
                new LinePlot.VerticalLine(24.5, "7x7"));
        assertThat(plot.render(400, 300).getWidth()).isEqualTo(400);
        assertThatThrownBy(() -> SweepReport.plot(List.of(), "t")).hasMessageContaining("no sweeps");
    }

    @Test
    void repeatedLabelsGetTheFirstFreeSuffix() {
        List<SweepResult> out = SweepReport.distinctLabels(List.of(
                sweep("rrc 24px", 20, 1), sweep("rrc 24px (2)", 20, 1), sweep("rrc 24px", 20, 1), sweep("rrc 24px", 20, 1)));
        assertThat(out).extracting(SweepResult::label)
                .containsExactly("rrc 24px", "rrc 24px (2)", "rrc 24px (3)", "rrc 24px (4)");
    }
}
