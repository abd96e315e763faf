/**
 * Statistics of the resolution discrepancy, on plain Java arrays (no NDArrays):
 * <ul>
 *   <li>{@link io.fixres.stats.FrechetFit}: Fréchet model of the pooled activations, zeros
 *       excluded (supplement A.1, Figure 6); {@link io.fixres.stats.AffineFrechetAdaptation}
 *       maps the test-resolution fit onto the train one (Table 4, "adapted distribution").</li>
 *   <li>{@link io.fixres.stats.ChannelMoments} and {@link io.fixres.stats.GaussianChannelAdaptation}:
 *       per-channel Gaussian matching before the last ReLU (supplement A.2).</li>
 *   <li>{@link io.fixres.stats.ScalarSample}: reservoir sample of a stream of activations;
 *       {@link io.fixres.stats.PooledActivationSample} adds the exact zero count the Fréchet fit needs.</li>
 *   <li>{@link io.fixres.stats.ApparentObjectSize}: the apparent object size analysis and the
 *       equalising test resolution (main paper, section 3).</li>
 * </ul>
 */
package io.fixres.stats;
