package io.fixres.stats;

/**
 * The "adapted distribution" of supplement A.1 / Table 4: an affine map of the pooled
 * activations that sends the Fréchet fit at the test resolution {@code (mu_0, sigma_0)} onto the
 * one at the train resolution {@code (mu_ref, sigma_ref)}; zeros are left alone.
 *
 * <pre>x -&gt; mu_ref + (x - mu_0) * sigma_ref / sigma_0   for x != 0</pre>
 *
 * <p>If X ~ Fréchet(mu_0, sigma_0, xi) then the image is Fréchet(mu_ref, sigma_ref, xi): an affine
 * map keeps the shape, so both fits must share {@code xi} (the paper fixes it at 0.3). On an
 * NDArray apply it as {@code where(x != 0, x * scale() + shift(), 0)}.
 */
public final class AffineFrechetAdaptation {
    private final double scale;
    private final double shift;

    public AffineFrechetAdaptation(double muRef, double sigmaRef, double mu0, double sigma0) {
        if (!(sigmaRef > 0) || !(sigma0 > 0)) {
            throw new IllegalArgumentException("Fréchet scales must be > 0, got sigma_ref="
                    + sigmaRef + " and sigma_0=" + sigma0);
        }
        if (!Double.isFinite(muRef) || !Double.isFinite(mu0)) {
            throw new IllegalArgumentException(
                    "Fréchet locations must be finite, got mu_ref=" + muRef + " and mu_0=" + mu0);
        }
        this.scale = sigmaRef / sigma0;
        this.shift = muRef - mu0 * scale;
    }

    /**
     * @param reference fit at the train resolution ({@code K_test = K_train})
     * @param measured  fit at the test resolution
     */
    public static AffineFrechetAdaptation between(FrechetFitResult reference, FrechetFitResult measured) {
        if (Math.abs(reference.xi() - measured.xi()) > 1e-9) {
            throw new IllegalArgumentException("an affine map keeps the Fréchet shape: fit both with "
                    + "the same fixed xi, got " + reference.xi() + " (reference) and "
                    + measured.xi() + " (measured)");
        }
        if (reference.truncatedAtZero() != measured.truncatedAtZero()) {
            throw new IllegalArgumentException("fit both with the same model: one fit is truncated at zero, "
                    + "the other is not");
        }
        return new AffineFrechetAdaptation(reference.mu(), reference.sigma(), measured.mu(), measured.sigma());
    }

    /** {@code sigma_ref / sigma_0}. */
    public double scale() { return scale; }

    /** {@code mu_ref - mu_0 * scale}. */
    public double shift() { return shift; }

    public float map(float x) {
        return x == 0 ? 0 : (float) (x * scale + shift);
    }

    /** Maps {@code values} in place and returns it. */
    public float[] applyInPlace(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = map(values[i]);
        }
        return values;
    }

    /** A mapped copy; {@code values} is untouched. */
    public float[] apply(float[] values) {
        return applyInPlace(values.clone());
    }

    @Override
    public String toString() {
        return "AffineFrechetAdaptation(scale=" + scale + ", shift=" + shift + ")";
    }
}
