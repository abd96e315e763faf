package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResolutionGridTest {
    @Test
    void laysOutTestRowsByTrainColumnsWithBestPerColumnLikeSupplementTable5() {
        // Values from supplement Table 5 (left); puts in scrambled order, 160@224 deliberately missing.
        ResolutionGrid grid = new ResolutionGrid()
                .put(224, 224, 77.0).put(128, 64, 48.3).put(160, 64, 40.1)
                .put(128, 224, 75.7).put(224, 64, 29.4).put(128, 128, 73.3)
                .put(224, 128, 65.4).put(160, 128, 71.2);
        Table table = grid.toTable("Top-1, no finetuning");

        assertThat(table.headers()).containsExactly("test \\ train", "128", "160", "224");
        assertThat(table.toText()).isEqualTo("""
                Top-1, no finetuning
                test \\ train   128    160    224
                ------------  -----  -----  -----
                64            48.3   40.1   29.4
                128           73.3   71.2*  65.4
                224           75.7*         77.0*
                """);
        // Markdown escapes the backslash of the corner header so it renders as typed.
        assertThat(table.toMarkdown())
                .contains("| test \\\\ train |      128 |")
                .contains("| 224           | **75.7** |          | **77.0** |");
    }
}
