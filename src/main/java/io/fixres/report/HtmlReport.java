package io.fixres.report;

import io.fixres.io.AtomicFiles;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The experiment report, built once and written twice: a single self-contained HTML page (inline
 * CSS, figures embedded as {@code data:image/png;base64} URIs, so it opens anywhere, even mailed)
 * and the same content as Markdown with figures referenced by relative path.
 *
 * <pre>{@code
 * new HtmlReport("FixRes on Fashion-MNIST")
 *     .section("Train/test resolution").table(grid.toTable("Top-1"))
 *     .image(dir.resolve("figures/fig7.png"), "Top-1 per test resolution")
 *     .write(dir.resolve("report.html"), dir.resolve("report.md"));
 * }</pre>
 */
public final class HtmlReport {
    private static final String CSS = """
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:980px;margin:2em auto;\
            padding:0 1em;color:#222;line-height:1.45}
            h1{border-bottom:2px solid #ddd;padding-bottom:.3em}h2{margin-top:1.8em;border-bottom:1px solid #eee}
            table{border-collapse:collapse;margin:1em 0}caption{font-weight:600;text-align:left;padding:.3em 0}
            th,td{border:1px solid #ccc;padding:.25em .6em}thead th{background:#f3f3f3}
            td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
            tr.group th{background:#fafafa;text-align:left;font-style:italic}
            table.kv th{text-align:left;background:#f8f8f8}
            figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
            figcaption{color:#555;font-size:.92em}
            pre{background:#f6f8fa;padding:.8em;overflow:auto}
            """;

    /** One piece of content, rendered in both forms. */
    private interface Block {
        void html(StringBuilder out) throws IOException;

        void markdown(StringBuilder out, Path markdownDir);
    }

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport section(String heading) {
        blocks.add(new Block() {
            public void html(StringBuilder out) {
                out.append("<h2>").append(Escape.html(heading)).append("</h2>\n");
            }

            public void markdown(StringBuilder out, Path dir) {
                out.append("## ").append(Escape.markdown(heading)).append("\n\n");
            }
        });
        return this;
    }

    /** Plain text (escaped in both forms; line breaks fold into spaces). */
    public HtmlReport paragraph(String text) {
        blocks.add(new Block() {
            public void html(StringBuilder out) {
                out.append("<p>").append(Escape.html(text)).append("</p>\n");
            }

            public void markdown(StringBuilder out, Path dir) {
                out.append(Escape.markdown(text)).append("\n\n");
            }
        });
        return this;
    }

    public HtmlReport table(Table table) {
        blocks.add(new Block() {
            public void html(StringBuilder out) {
                out.append(table.toHtml());
            }

            public void markdown(StringBuilder out, Path dir) {
                out.append(table.toMarkdown()).append('\n');
            }
        });
        return this;
    }

    /** A PNG figure. It is read when the report is rendered and must then exist and be a PNG. */
    public HtmlReport image(Path png, String caption) {
        blocks.add(new Block() {
            public void html(StringBuilder out) throws IOException {
                out.append("<figure><img src=\"").append(ReportImages.PNG_DATA_PREFIX)
                        .append(Base64.getEncoder().encodeToString(readPng(png)))
                        .append("\" alt=\"").append(Escape.html(caption)).append("\">")
                        .append("<figcaption>").append(Escape.html(caption)).append("</figcaption></figure>\n");
            }

            public void markdown(StringBuilder out, Path dir) {
                out.append("![").append(Escape.markdown(caption)).append("](").append(relativeLink(dir, png))
                        .append(")\n\n*").append(Escape.markdown(caption)).append("*\n\n");
            }
        });
        return this;
    }

    /** Settings or facts as a two-column list, in the map's iteration order. */
    public HtmlReport keyValues(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        blocks.add(new Block() {
            public void html(StringBuilder out) {
                out.append("<table class=\"kv\">\n");
                copy.forEach((k, v) -> out.append("<tr><th>").append(Escape.html(k)).append("</th><td>")
                        .append(Escape.html(String.valueOf(v))).append("</td></tr>\n"));
                out.append("</table>\n");
            }

            public void markdown(StringBuilder out, Path dir) {
                copy.forEach((k, v) -> out.append("- **").append(Escape.markdown(k)).append("**: ")
                        .append(Escape.markdown(String.valueOf(v))).append('\n'));
                out.append('\n');
            }
        });
        return this;
    }

    /** Preformatted text, e.g. the command line that produced the results. */
    public HtmlReport code(String text) {
        blocks.add(new Block() {
            public void html(StringBuilder out) {
                out.append("<pre><code>").append(Escape.html(text)).append("</code></pre>\n");
            }

            public void markdown(StringBuilder out, Path dir) {
                String fence = "`".repeat(Math.max(3, longestBacktickRun(text) + 1));
                out.append(fence).append('\n').append(text);
                if (!text.endsWith("\n")) {
                    out.append('\n');
                }
                out.append(fence).append("\n\n");
            }
        });
        return this;
    }

    public String toHtml() throws IOException {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Escape.html(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(Escape.html(title)).append("</h1>\n");
        for (Block block : blocks) {
            block.html(out);
        }
        return out.append("</body>\n</html>\n").toString();
    }

    /** The report as Markdown; image links are relative to {@code markdownDir}, where the file will live. */
    public String toMarkdown(Path markdownDir) {
        StringBuilder out = new StringBuilder("# ").append(Escape.markdown(title)).append("\n\n");
        for (Block block : blocks) {
            block.markdown(out, markdownDir);
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** Writes both forms atomically; {@code markdownFile} may be null to skip it. */
    public void write(Path htmlFile, Path markdownFile) throws IOException {
        AtomicFiles.writeString(htmlFile, toHtml());
        if (markdownFile != null) {
            AtomicFiles.writeString(markdownFile, toMarkdown(markdownFile.toAbsolutePath().getParent()));
        }
    }

    /**
     * Problems with the images of a written HTML page, empty when all is well: every
     * {@code <img src>} must be a {@code data:image/png;base64} URI holding a decodable PNG, or a
     * relative path to an existing, decodable PNG file.
     */
    public static List<String> validateImages(Path htmlFile) throws IOException {
        return ReportImages.validateHtml(htmlFile);
    }

    /** As {@link #validateImages}, for the {@code ![alt](path)} images of a Markdown file. */
    public static List<String> validateMarkdownImages(Path markdownFile) throws IOException {
        return ReportImages.validateMarkdown(markdownFile);
    }

    private static byte[] readPng(Path png) throws IOException {
        if (!Files.isRegularFile(png)) {
            throw new IOException("report image " + png + ": no such file (was the figure written?)");
        }
        byte[] bytes = Files.readAllBytes(png);
        if (!ReportImages.isPngSignature(bytes)) {
            throw new IOException("report image " + png + ": expected a PNG file, the signature does not match");
        }
        return bytes;
    }

    /** A forward-slash, percent-encoded path from {@code dir} to {@code file}. */
    private static String relativeLink(Path dir, Path file) {
        Path relative = dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize());
        StringBuilder path = new StringBuilder();
        for (Path part : relative) {
            path.append(path.length() == 0 ? "" : "/").append(part);
        }
        try {
            return new URI(null, null, path.toString(), null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot link report image " + file + " from " + dir, e);
        }
    }

    private static int longestBacktickRun(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }
}
