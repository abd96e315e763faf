package io.fixres.eval;

import java.util.Base64;
import java.util.BitSet;

/**
 * Which of {@code images} evaluated images were right at top-1, in evaluation order (the data set's
 * order: evaluation never shuffles). Two outcomes of the same images are what a paired comparison
 * needs ({@link io.fixres.stats.PairedBootstrap}).
 */
public record Top1Outcomes(BitSet correct, int images) {

    public Top1Outcomes {
        if (images < 0 || correct.length() > images) {
            throw new IllegalArgumentException("outcomes of " + images + " images mark image " + (correct.length() - 1));
        }
    }

    public boolean correct(int image) {
        return correct.get(image);
    }

    public int hits() {
        return correct.cardinality();
    }

    public boolean[] toArray() {
        boolean[] out = new boolean[images];
        for (int i = correct.nextSetBit(0); i >= 0; i = correct.nextSetBit(i + 1)) {
            out[i] = true;
        }
        return out;
    }

    /** Compact text form for JSON caches: the bit set's little-endian bytes in Base64. */
    public String encoded() {
        return Base64.getEncoder().encodeToString(correct.toByteArray());
    }

    public static Top1Outcomes decode(String encoded, int images) {
        return new Top1Outcomes(BitSet.valueOf(Base64.getDecoder().decode(encoded)), images);
    }
}
