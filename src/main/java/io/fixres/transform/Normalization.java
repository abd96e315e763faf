package io.fixres.transform;

public record Normalization(float[] mean, float[] std) { public static final Normalization IMAGENET = new Normalization(new float[]{0.485f,0.456f,0.406f}, new float[]{0.229f,0.224f,0.225f}); public static final Normalization FASHION_MNIST = new Normalization(new float[]{0.2860f}, new float[]{0.3530f}); }
