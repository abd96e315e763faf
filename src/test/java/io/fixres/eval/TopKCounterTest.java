package io.fixres.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TopKCounterTest {

    @Test
    void constantClassifierIsRightOnlyOnClassZero() {
        // 10 classes, one image of each; every logit equal (an all-zero fc): torch.topk ranks class 0 first.
        int classes = 10;
        float[] logits = new float[classes * classes];
        int[] labels = new int[classes];
        for (int i = 0; i < classes; i++) {
            labels[i] = i;
        }
        TopKCounter counter = new TopKCounter(5);
        counter.add(logits, labels, classes, classes);
        Accuracy a = counter.result();
        assertEquals(10.0, a.top1(), 1e-12);
        assertEquals(50.0, a.top5(), 1e-12); // classes 0..4 are the first five among equals
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false, false},
                a.outcomes().toArray());
    }

    @Test
    void nanLogitsAreMisses() {
        float[] logits = {Float.NaN, Float.NaN, Float.NaN, 1f, Float.NaN, 0f};
        TopKCounter counter = new TopKCounter(2);
        counter.add(logits, new int[] {0, 0}, 2, 3);
        // image 0: label's score NaN -> miss; image 1: a NaN elsewhere ranks above the label -> rank 1, top-2 hit only
        Accuracy a = counter.result();
        assertEquals(0.0, a.top1(), 1e-12);
        assertEquals(50.0, a.top5(), 1e-12);
    }

    @Test
    void ranksAndOutcomesFollowImagesAcrossBatches() {
        TopKCounter counter = new TopKCounter(2);
        counter.add(new float[] {3f, 1f, 2f,   0f, 5f, 1f}, new int[] {0, 2}, 2, 3); // right; rank 1
        counter.add(new float[] {0f, 1f, 2f}, new int[] {0}, 1, 3);               // rank 2
        Accuracy a = counter.result();
        assertEquals(3, a.images());
        assertEquals(100.0 / 3, a.top1(), 1e-12);
        assertEquals(200.0 / 3, a.top5(), 1e-12);
        assertArrayEquals(new boolean[] {true, false, false}, a.outcomes().toArray());
        Top1Outcomes back = Top1Outcomes.decode(a.outcomes().encoded(), 3);
        assertEquals(a.outcomes(), back);
    }
}
