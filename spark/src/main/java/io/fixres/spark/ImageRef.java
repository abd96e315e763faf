package io.fixres.spark;

import java.io.Serializable;

/**
 * One image of a distributed pass: its position in the (limited) split, which orders results
 * such as the feature rows, and, for images read straight from a Hadoop file system, its file
 * URI and label ({@code file == null} for data sets every executor resolves itself).
 */
public record ImageRef(int position, int label, String file) implements Serializable {}
