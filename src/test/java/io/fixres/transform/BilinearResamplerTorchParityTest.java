package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link BilinearResampler} against libtorch: DJL's NDImageUtils.resize on the PyTorch engine
 * calls {@code interpolate(bilinear, antialias=true, align_corners=false)} on an HWC array.
 * (Surefire runs with -Dai.djl.offline=true: the native library comes from the classpath jar.)
 */
class BilinearResamplerTorchParityTest {
    private static NDManager manager;

    @BeforeAll
    static void openEngine() { manager = Engine.getEngine("PyTorch").newBaseManager(); }

    @AfterAll
    static void closeEngine() { manager.close(); }

    @ParameterizedTest(name = "{0}x{1}x{2} -> {3}x{4}")
    @CsvSource({"1, 28, 28, 24, 24", "1, 28, 28, 32, 32", "1, 28, 28, 27, 27", "3, 37, 53, 20, 29",
                "3, 37, 53, 64, 17"})
    void matchesLibtorchAntialiasedBilinear(int c, int h, int w, int outH, int outW) {
        FloatImage img = Images.random(c, h, w, 31L * h + w + c);
        float[] ours = BilinearResampler.resize(img, outH, outW).data();
        try (NDManager sub = manager.newSubManager()) {
            NDArray hwc = sub.create(toHwc(img), new Shape(h, w, c));
            NDArray resized = NDImageUtils.resize(hwc, outW, outH, Image.Interpolation.BILINEAR);
            assertThat(resized.getShape()).isEqualTo(new Shape(outH, outW, c));
            float[] torch = resized.toFloatArray();
            double maxDiff = 0;
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < outH; y++) {
                    for (int x = 0; x < outW; x++) {
                        float t = torch[(y * outW + x) * c + ch];
                        maxDiff = Math.max(maxDiff, Math.abs(t - ours[(ch * outH + y) * outW + x]));
                    }
                }
            }
            assertThat(maxDiff).isLessThan(1e-5);
        }
    }

    private static float[] toHwc(FloatImage img) {
        int c = img.channels(), h = img.height(), w = img.width();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(y * w + x) * c + ch] = img.get(ch, y, x);
                }
            }
        }
        return out;
    }
}
