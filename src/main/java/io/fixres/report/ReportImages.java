package io.fixres.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Checks that every image a written report points at is really there and really a PNG. */
final class ReportImages {
    static final String PNG_DATA_PREFIX = "data:image/png;base64,";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern HTML_IMG_SRC = Pattern.compile(
            "<img\\b[^>]*?\\bsrc\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
    /** {@code ![alt](target)}; the alt text may hold backslash-escaped brackets. */
    private static final Pattern MARKDOWN_IMAGE = Pattern.compile("!\\[(?:\\\\.|[^\\]\\\\])*\\]\\(([^)\\s]+)[^)]*\\)");
    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private ReportImages() {}

    static List<String> validateHtml(Path html) throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher m = HTML_IMG_SRC.matcher(Files.readString(html, StandardCharsets.UTF_8));
        while (m.find()) {
            String src = m.group(1) != null ? m.group(1) : m.group(2);
            sources.add(src.replace("&amp;", "&"));
        }
        return validate(html, sources);
    }

    static List<String> validateMarkdown(Path markdown) throws IOException {
        List<String> sources = new ArrayList<>();
        Matcher m = MARKDOWN_IMAGE.matcher(Files.readString(markdown, StandardCharsets.UTF_8));
        while (m.find()) {
            sources.add(m.group(1));
        }
        return validate(markdown, sources);
    }

    private static List<String> validate(Path document, List<String> sources) {
        Path base = document.toAbsolutePath().getParent();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            String src = sources.get(i);
            int number = i + 1;
            check(src, base).ifPresent(p -> problems.add(document + ": image " + number + " (" + abbreviate(src) + "): " + p));
        }
        return problems;
    }

    /** The problem with one image source, if any. */
    private static Optional<String> check(String src, Path base) {
        if (src.regionMatches(true, 0, "data:", 0, 5)) {
            if (!src.regionMatches(true, 0, PNG_DATA_PREFIX, 0, PNG_DATA_PREFIX.length())) {
                return Optional.of("data URI is not " + PNG_DATA_PREFIX + "...");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(src.substring(PNG_DATA_PREFIX.length()).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                return Optional.of("data URI is not valid base64: " + e.getMessage());
            }
            return pngProblem(bytes);
        }
        if (URI_SCHEME.matcher(src).find() || src.startsWith("/")) {
            return Optional.of("expected a data URI or a path relative to the report, got an absolute reference");
        }
        Path file;
        try {
            file = base.resolve(new URI(src).getPath()).normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.of("not a valid relative path: " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            return Optional.of("file not found: " + file);
        }
        try {
            return pngProblem(Files.readAllBytes(file)).map(p -> file + ": " + p);
        } catch (IOException e) {
            return Optional.of("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Empty when {@code bytes} is a PNG that decodes to a non-empty image. */
    static Optional<String> pngProblem(byte[] bytes) {
        if (!isPngSignature(bytes)) {
            return Optional.of("not a PNG (bad signature)");
        }
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
                return Optional.of("PNG does not decode to an image");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("PNG does not decode: " + e.getMessage());
        }
    }

    static boolean isPngSignature(byte[] bytes) {
        return bytes.length >= PNG_SIGNATURE.length
                && Arrays.equals(Arrays.copyOf(bytes, PNG_SIGNATURE.length), PNG_SIGNATURE);
    }

    private static String abbreviate(String src) {
        return src.length() <= 48 ? src : src.substring(0, 45) + "...";
    }
}
