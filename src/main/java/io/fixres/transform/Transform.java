package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * One image transform, torchvision style: small, composable, and deterministic given the
 * random generator it is handed (the loader seeds one generator per sample, so results do
 * not depend on which thread decoded the image).
 */
@FunctionalInterface
public interface Transform {
    FloatImage apply(FloatImage image, RandomGenerator rng);

    /** This transform followed by {@code next}. */
    default Transform andThen(Transform next) {
        return (img, rng) -> next.apply(apply(img, rng), rng);
    }
}
