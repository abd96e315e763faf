package io.fixres.transform;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting for the torchvision-like toString of transforms. */
final class Fmt {
    private Fmt() {}

    /** Python's {@code repr(round(x, 4))}: 1.0 -> "1.0", 0.08 -> "0.08", 4/3 -> "1.3333". */
    static String num(double x) {
        String s = BigDecimal.valueOf(x).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    static String pair(double a, double b) { return "(" + num(a) + ", " + num(b) + ")"; }

    static String floats(float[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(num(v[i]));
        }
        return sb.append(']').toString();
    }
}
