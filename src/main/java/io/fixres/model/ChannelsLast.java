package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * An (N, C, H, W) array stored channels-last (NHWC strides), PyTorch's
 * {@code x.contiguous(memory_format=torch.channels_last)}. libtorch's oneDNN convolution takes the
 * memory format of its input, and BatchNorm, ReLU, the residual add and the pooling keep it, so
 * one conversion at the network's input runs the whole forward channels-last: on 2 CPU cores
 * 1.05x (24 px) to 1.15x (48 px) faster for resnet-small (docs/performance.md). The values and
 * the shape are unchanged; only the strides differ, and DJL reads values back in logical order.
 */
final class ChannelsLast {
    private ChannelsLast() { }

    /** {@code x} (N, C, H, W) as a channels-last array: a view when C = 1 (same bytes), else one copy. */
    static NDArray of(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray nhwc;
        if (c == 1) {
            nhwc = x.reshape(n, h, w, 1);
        } else {
            // reshape cannot view the permuted array, so it copies it into NHWC order
            try (NDArray permuted = x.transpose(0, 2, 3, 1); NDArray flat = permuted.reshape(n * h * w * c)) {
                nhwc = flat.reshape(n, h, w, c);
            }
        }
        try (nhwc) {
            return nhwc.transpose(0, 3, 1, 2);
        }
    }
}
