package io.fixres.report;

/** Escaping of free text for the two markup languages fixres writes. */
final class Escape {
    private Escape() {}

    static String html(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Backslash-escapes the characters that would otherwise start emphasis, code, links, raw HTML
     * or end a table cell, and folds line breaks (a table cell must stay on one line).
     */
    static String markdown(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\`*_[]<>|".indexOf(c) >= 0) {
                out.append('\\').append(c);
            } else if (c == '\n' || c == '\r') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
