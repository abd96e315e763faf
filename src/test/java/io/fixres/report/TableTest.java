package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
    /** 2 rows x 3 columns; the b row holds the best of both numeric columns. */
    private static Table small() {
        return new Table("Top-1", "model", "64", "128")
                .row("a", 63.2, 48.3)
                .row("b", 68.2, 73.3)
                .markBestPerColumn();
    }

    @Test
    void markdownIsPaddedPipeTableWithNumbersRightAlignedAndBestBold() {
        assertThat(small().toMarkdown()).isEqualTo("""
                **Top-1**

                | model |       64 |      128 |
                | ----- | -------: | -------: |
                | a     |     63.2 |     48.3 |
                | b     | **68.2** | **73.3** |
                """);
    }

    @Test
    void csvHasHeaderAndDisplayedValuesWithCrlf() {
        assertThat(small().toCsv()).isEqualTo("model,64,128\r\na,63.2,48.3\r\nb,68.2,73.3\r\n");
    }

    @Test
    void textAlignsDigitsAndMarksBestWithStar() {
        assertThat(small().toText()).isEqualTo("""
                Top-1
                model    64    128
                -----  -----  -----
                a      63.2   48.3
                b      68.2*  73.3*
                """);
    }

    @Test
    void htmlHasCaptionNumClassAndBoldBest() {
        assertThat(small().toHtml()).isEqualTo("""
                <table>
                <caption>Top-1</caption>
                <thead><tr><th>model</th><th class="num">64</th><th class="num">128</th></tr></thead>
                <tbody>
                <tr><td>a</td><td class="num">63.2</td><td class="num">48.3</td></tr>
                <tr><td>b</td><td class="num"><b>68.2</b></td><td class="num"><b>73.3</b></td></tr>
                </tbody>
                </table>
                """);
    }

    @Test
    void csvQuotesCommasQuotesAndLineBreaksPerRfc4180() {
        Table table = new Table("", "name", "note").row("a,b", "say \"hi\"").row("plain", "two\nlines");
        assertThat(table.toCsv()).isEqualTo(
                "name,note\r\n\"a,b\",\"say \"\"hi\"\"\"\r\nplain,\"two\nlines\"\r\n");
    }

    @Test
    void bestPerRowMarksTheRowMaximumAndAllTies() {
        Table table = new Table("", "model", "x", "y", "z")
                .row("a", 1.0, 3.0, 3.0)
                .row("b", 5.0, Double.NaN, 2.0)
                .markBestPerRow();
        assertThat(table.rowCells(0)).extracting(Cell::isBest).containsExactly(false, false, true, true);
        assertThat(table.rowCells(1)).extracting(Cell::isBest).containsExactly(false, true, false, false);
    }

    @Test
    void bestPerColumnCanPreferTheLowestAndSkipsTextAndEmptyCells() {
        Table table = new Table("", "model", "ms", "note")
                .row("a", 12.5, "slow")
                .row("b", 9.25, null)
                .row("c", null, "n/a")
                .markBestPerColumn(Table.Best.LOWEST);
        assertThat(table.cell(0, 1).isBest()).isFalse();
        assertThat(table.cell(1, 1).isBest()).isTrue();
        assertThat(table.cell(0, 0).isBest() || table.cell(0, 2).isBest()).isFalse();
    }

    @Test
    void groupsBecomeLabelRowsInMarkdownAndTextAndAColumnInCsv() {
        Table table = new Table("", "res", "top-1")
                .group("no finetuning").row("224", 77.0)
                .group("finetuned").row("224", 78.4).row("288", 78.9);
        assertThat(table.toMarkdown()).isEqualTo("""
                | res               | top-1 |
                | ----------------- | ----: |
                | **no finetuning** |       |
                | 224               |  77.0 |
                | **finetuned**     |       |
                | 224               |  78.4 |
                | 288               |  78.9 |
                """);
        assertThat(table.toText()).isEqualTo("""
                res  top-1
                ---  -----
                no finetuning:
                224   77.0
                finetuned:
                224   78.4
                288   78.9
                """);
        assertThat(table.toCsv()).isEqualTo(
                "group,res,top-1\r\nno finetuning,224,77.0\r\nfinetuned,224,78.4\r\nfinetuned,288,78.9\r\n");
        assertThat(table.toHtml()).contains("<tr class=\"group\"><th colspan=\"2\">finetuned</th></tr>\n<tr><td>224</td>");
    }

    @Test
    void numberFormatsIntegersAndExplicitCells() {
        Table table = new Table("", "images", "top-5", "lr")
                .numberFormat("%.2f")
                .row(10000, 99.004, Cell.number(0.1, "%.3f"));
        assertThat(table.toCsv()).isEqualTo("images,top-5,lr\r\n10000,99.00,0.100\r\n");
    }

    @Test
    void markdownAndHtmlEscapeCellText() {
        Table table = new Table("a|b", "x<y", "k").row("p|q", "*s*");
        assertThat(table.toMarkdown()).contains("**a\\|b**").contains("| x\\<y |").contains("| p\\|q | \\*s\\* |");
        assertThat(table.toHtml()).contains("<caption>a|b</caption>").contains("<th>x&lt;y</th>");
    }

    @Test
    void rejectsRowsOfTheWrongWidthAndBadFormats() {
        Table table = new Table("T", "a", "b");
        assertThatThrownBy(() -> table.row("only one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 of table 'T' has 1 cells, expected 2");
        assertThatThrownBy(() -> table.numberFormat("%d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"%.1f\"");
    }
}
