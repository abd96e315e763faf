package io.fixres.transform;

import java.util.List;
import java.util.random.RandomGenerator;

/** torchvision {@code Compose}: the steps in order, all drawing from the one generator. */
public final class Compose implements Transform {
    private final List<Transform> steps;

    public Compose(List<Transform> steps) { this.steps = List.copyOf(steps); }

    public static Compose of(Transform... steps) { return new Compose(List.of(steps)); }

    public List<Transform> steps() { return steps; }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        FloatImage img = image;
        for (Transform t : steps) {
            img = t.apply(img, rng);
        }
        return img;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Compose(\n");
        for (Transform t : steps) {
            sb.append("    ").append(t).append('\n');
        }
        return sb.append(')').toString();
    }
}
