package io.fixres.study;

import io.fixres.io.InvalidParameterException;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.stats.ApparentObjectSize;
import io.fixres.stats.RandomResizedCropSigma;
import java.util.ArrayList;
import java.util.List;

/**
 * The test resolution predicted by the apparent object size analysis (paper section 3) for a
 * model trained with RandomResizedCrop at {@code trainRes}: objects look, on average, as large
 * as during training at {@code K_test = cropRatio K_train / E[sigma]}, snapped to the nearest
 * multiple of the network's stride (supplement B). Two values of {@code E[sigma]}: the paper's
 * closed form over the scale alone, and the sampler's own, which counts the crops torchvision
 * rejects for their aspect ratio (see {@link RandomResizedCropSigma}).
 *
 * @param sizeRatioAtTrainRes expected r_test / r_train when testing at the train resolution (below 1: objects look smaller)
 * @param equalisingTestRes the paper's prediction, in pixels (224 -> 276.8)
 * @param alignedTestRes its nearest multiple of the stride (224 -> 288 for stride 32)
 * @param expectedSigmaSampled E[sigma] of the real sampler on a square image
 * @param equalisingTestResSampled the prediction with that E[sigma]
 * @param alignedTestResSampled its nearest multiple of the stride
 */
public record ResolutionSuggestion(
        @JsonProperty("train_res") int trainRes,
        @JsonProperty("scale_min") double scaleMin,
        @JsonProperty("scale_max") double scaleMax,
        @JsonProperty("ratio_min") double ratioMin,
        @JsonProperty("ratio_max") double ratioMax,
        @JsonProperty("crop_ratio") double cropRatio,
        @JsonProperty("stride") int stride,
        @JsonProperty("expected_sigma") double expectedSigma,
        @JsonProperty("size_ratio_at_train_res") double sizeRatioAtTrainRes,
        @JsonProperty("equalising_test_res") double equalisingTestRes,
        @JsonProperty("aligned_test_res") int alignedTestRes,
        @JsonProperty("expected_sigma_sampled") double expectedSigmaSampled,
        @JsonProperty("equalising_test_res_sampled") double equalisingTestResSampled,
        @JsonProperty("aligned_test_res_sampled") int alignedTestResSampled) {

    /**
     * @param scaleMin RandomResizedCrop's lower area fraction (0.08)
     * @param scaleMax its upper area fraction (1)
     * @param ratioMin its lower aspect ratio (3/4)
     * @param ratioMax its upper aspect ratio (4/3)
     * @param cropRatio the test centre-crop ratio (0.875)
     * @param stride the network's total stride (ResNet-50: 32, the small ResNet: 4)
     */
    public static ResolutionSuggestion of(int trainRes, double scaleMin, double scaleMax, double ratioMin,
                                          double ratioMax, double cropRatio, int stride) {
        double sigma = ApparentObjectSize.expectedSigma(scaleMin, scaleMax);
        double equalising = ApparentObjectSize.equalisingTestResolution(trainRes, scaleMin, scaleMax, cropRatio);
        double sampled = RandomResizedCropSigma.expectedOnSquareImage(scaleMin, scaleMax, ratioMin, ratioMax);
        // K_test scales as 1 / E[sigma] (ApparentObjectSize): rescale rather than restate the formula.
        double equalisingSampled = equalising * sigma / sampled;
        return new ResolutionSuggestion(trainRes, scaleMin, scaleMax, ratioMin, ratioMax,
                cropRatio, stride, sigma,
                ApparentObjectSize.expectedSizeRatio(trainRes, trainRes, scaleMin, scaleMax, cropRatio),
                equalising, ApparentObjectSize.nearestStrideAligned(equalising, stride),
                sampled, equalisingSampled, ApparentObjectSize.nearestStrideAligned(equalisingSampled, stride));
    }

    /**
     * Every resolution from {@code strides} strides below the lower prediction to as many above
     * the higher one, at least {@code minimum}: where to measure the real optimum.
     */
    public List<Integer> searchRange(int strides, int minimum) {
        InvalidParameterException.require(strides >= 0, "search strides", "must be >= 0", strides);
        int low = (int) Math.round(Math.min(equalisingTestRes, equalisingTestResSampled)) - strides * stride;
        int high = (int) Math.round(Math.max(equalisingTestRes, equalisingTestResSampled)) + strides * stride;
        List<Integer> out = new ArrayList<>();
        for (int r = Math.max(minimum, low); r <= high; r++) {
            out.add(r);
        }
        return out;
    }
}
