package io.fixres.cli;

import io.fixres.core.FixResNetwork;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Parses resolution lists: {@code 16,20,24} or ranges {@code 16-64:4} (from 16 to 64 by 4),
 * mixed freely. Duplicates are dropped, order is ascending.
 */
public final class Resolutions implements CommandLine.ITypeConverter<List<Integer>> {
    @Override
    public List<Integer> convert(String value) {
        return parse(value);
    }

    public static List<Integer> parse(String value) {
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-', 1);
                if (dash < 0) {
                    out.add(positive(Integer.parseInt(p), value));
                    continue;
                }
                int colon = p.indexOf(':');
                int from = Integer.parseInt(p.substring(0, dash));
                int to = Integer.parseInt(p.substring(dash + 1, colon < 0 ? p.length() : colon));
                int step = colon < 0 ? 1 : Integer.parseInt(p.substring(colon + 1));
                if (step < 1 || to < from) {
                    throw new IllegalArgumentException("range '" + p + "' must be FROM-TO[:STEP] with FROM <= TO and STEP >= 1");
                }
                for (int r = from; r <= to; r += step) {
                    out.add(positive(r, value));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cannot read resolution list '" + value
                        + "': expected integers like 16,20,24 or a range like 16-64:4");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty resolution list '" + value + "'");
        }
        return new ArrayList<>(out);
    }

    /**
     * Throws, naming {@code flag} and the accepted range, when {@code resolution} is below what
     * {@code net} can measure (one cell of its final feature map) or above
     * {@link FixResNetwork#MAX_RESOLUTION}.
     */
    public static void requireUseful(FixResNetwork net, int resolution, String flag) {
        net.checkResolution(flag, resolution);
    }

    private static int positive(int r, String value) {
        if (r < 1) {
            throw new IllegalArgumentException("resolutions must be positive, got " + r + " in '" + value + "'");
        }
        if (r > FixResNetwork.MAX_RESOLUTION) {
            throw new IllegalArgumentException("resolutions must be at most " + FixResNetwork.MAX_RESOLUTION
                    + " px, got " + r + " in '" + value + "'");
        }
        return r;
    }
}
