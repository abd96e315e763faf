package io.fixres.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.fixres.core.ActivationHook;
import io.fixres.model.ModelCard;
import io.fixres.stats.AffineFrechetAdaptation;
import io.fixres.stats.GaussianChannelAdaptation;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@link ActivationHook}s that apply the distribution adaptations of supplement A inside a
 * ResNet's forward, and the one that re-installs what a model card records.
 */
public final class AdaptationHooks {
    private AdaptationHooks() {}

    /** A.1 on the pooled features: {@code where(x != 0, x * scale + shift, 0)}. */
    public static ActivationHook frechet(AffineFrechetAdaptation adaptation) {
        return pooledAffine((float) adaptation.scale(), (float) adaptation.shift());
    }

    /** A.2 before the last ReLU: {@code x * scale_c + shift_c} per channel. */
    public static ActivationHook gaussian(GaussianChannelAdaptation adaptation) {
        return channelAffine(adaptation.scale(), adaptation.shift());
    }

    public static ActivationHook pooledAffine(float scale, float shift) {
        return new ActivationHook() {
            @Override
            public NDArray pooled(NDArray features) {
                // zeros are the ReLU's point mass, outside the Fréchet model: they stay zero
                return NDArrays.where(features.neq(0), features.mul(scale).add(shift), features);
            }

            @Override
            public String toString() {
                return "pooled x != 0 -> x * " + scale + " + " + shift;
            }
        };
    }

    static ActivationHook channelAffine(float[] scale, float[] shift) {
        float[] s = scale.clone();
        float[] b = shift.clone();
        return new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                long channels = activations.getShape().get(1);
                if (activations.getShape().dimension() != 4 || channels != s.length) {
                    throw new IllegalArgumentException("the Gaussian adaptation has " + s.length
                            + " channels but the pre-ReLU activations have shape " + activations.getShape());
                }
                NDArray scales = activations.getManager().create(s).reshape(1, s.length, 1, 1);
                NDArray shifts = activations.getManager().create(b).reshape(1, b.length, 1, 1);
                return activations.mul(scales).add(shifts);
            }

            @Override
            public String toString() {
                return "pre-ReLU per-channel affine (" + s.length + " channels)";
            }
        };
    }

    /** {@code first}, then {@code second} on what {@code first} returns, at both taps. */
    public static ActivationHook chain(ActivationHook first, ActivationHook second) {
        if (first == ActivationHook.IDENTITY) {
            return second;
        }
        if (second == ActivationHook.IDENTITY) {
            return first;
        }
        return new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                return second.preReLU(first.preReLU(activations));
            }

            @Override
            public NDArray pooled(NDArray features) {
                return second.pooled(first.pooled(features));
            }
        };
    }

    /** The adaptations a card records. */
    public static List<AdaptationRecord> records(ModelCard card) {
        List<Map<String, Object>> entries = card.getAdaptations() == null ? List.of() : card.getAdaptations();
        return IntStream.range(0, entries.size())
                .mapToObj(i -> AdaptationRecord.fromCardEntry(entries.get(i), "model card adaptations[" + i + "]"))
                .toList();
    }

    /**
     * The hook applying every adaptation the card records, in order; {@link ActivationHook#IDENTITY}
     * when there is none. Install it with {@code net.setActivationHook(AdaptationHooks.fromCard(card))}
     * before evaluating an adapted checkpoint.
     *
     * @throws IllegalArgumentException naming the entry when one is malformed
     */
    public static ActivationHook fromCard(ModelCard card) {
        ActivationHook hook = ActivationHook.IDENTITY;
        for (AdaptationRecord record : records(card)) {
            hook = chain(hook, record.hook());
        }
        return hook;
    }
}
