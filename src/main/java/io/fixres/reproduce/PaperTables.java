package io.fixres.reproduce;

import io.fixres.report.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The supplement's ImageNet / ResNet-50 numbers, shown beside each artefact fixres reproduces
 * (the seed document, supplement sections A-D). Reference data, not results: nothing here is
 * ever compared against a threshold.
 */
public final class PaperTables {
    private PaperTables() {}

    /** Table 4: distribution adaptation vs fine-tuning, ResNet-50 train 224. */
    public static Table table4() {
        return parse(3, "Paper Table 4 (ImageNet, ResNet-50, train 224)", """
                adapted distribution|FT classifier|FT batch-norm|64|224|288|352|384
                -|-|-|29.4|77.0|78.4|78.1|77.7
                yes|-|-|29.8|77.0|77.7|77.3|76.8
                -|yes|-|40.6|77.1|78.6|78.9|78.9
                -|yes|yes|41.7|77.1|78.5|78.9|79.0
                yes|yes|-|41.8|77.1|78.5|78.8|78.9
                """).markBestPerRow();
    }

    /** Table 5 left: train x test resolution without fine-tuning. */
    public static Table table5Left() {
        return parse(1, "Paper Table 5, no fine-tuning (ImageNet, ResNet-50)", """
                test \\ train|64|128|160|224|384
                64|63.2|48.3|40.1|29.4|12.6
                128|68.2|73.3|71.2|65.4|48.0
                224|55.3|75.7|77.3|77.0|70.5
                288|42.4|73.8|76.6|78.4|75.2
                384|23.8|69.6|73.8|77.7|78.2
                448|13.0|65.8|71.5|76.6|78.8
                480|9.7|63.9|70.2|75.9|78.7
                """).markBestPerColumn();
    }

    /** Table 5 right: with the FixRes fine-tuning. */
    public static Table table5Right() {
        return parse(1, "Paper Table 5, with FixRes fine-tuning (ImageNet, ResNet-50)", """
                test \\ train|64|128|224|384
                64|63.5|53.7|41.7|27.5
                128|71.3|73.4|67.7|55.7
                224|66.9|77.1|77.1|71.9
                288|62.4|76.6|78.6|75.7
                384|55.0|74.8|79.0|78.2
                448|49.7|73.0|78.4|78.8
                480|46.6|72.2|78.1|79.0
                """).markBestPerColumn();
    }

    /** Table 6: ablation, train 224 rows. */
    public static Table table6() {
        return parse(3, "Paper Table 6 (ImageNet, ResNet-50, train 224)", """
                classifier|batch-norm|data aug.|64|128|224|288|384|448
                -|-|n/a|29.4|65.4|77.0|78.4|77.7|76.6
                yes|-|train DA|39.9|67.5|77.0|78.6|78.9|78.0
                yes|-|test DA|40.6|67.3|77.1|78.6|78.9|77.9
                yes|yes|train DA|40.4|67.5|77.0|78.6|78.9|78.0
                yes|yes|test DA|41.7|67.7|77.1|78.6|79.0|78.4
                """).markBestPerRow();
    }

    /** Table 7: runtime per batch on one GPU. */
    public static Table table7() {
        return parse(2, "Paper Table 7 (one GPU; train batch 32, fine-tuning batch 64)", """
                train|test|train backward ms|train forward ms|FT backward ms|FT forward ms|total h|top-1
                128|128|29.0|12.8|-|-|111.8|73.3
                224|224|35.0|15.2|-|-|133.9|77.0
                224|288|35.0|15.2|-|-|133.9|78.4
                128|224|29.0|12.8|4.4|14.4|124.1|77.1
                224|384|35.0|15.2|8.2|18.0|151.5|79.0
                """);
    }

    /** Table 8: test DA vs test DA2 after fine-tuning classifier + BN. */
    public static Table table8() {
        return parse(3, "Paper Table 8", """
                model|train|test|test DA|test DA2
                ResNeXt-101 32x48d|224|288|86.0|86.1
                ResNeXt-101 32x48d|224|320|86.3|86.4
                ResNet-50|224|320|79.0|79.1
                ResNet-50 CutMix|224|384|79.7|79.8
                """).markBestPerRow();
    }

    /** Table 9: resize + random crop training, no fine-tuning. */
    public static Table table9() {
        return parse(1, "Paper Table 9, resize + random crop training (ImageNet, ResNet-50)", """
                test \\ train|64|128|224|384
                64|60.0|48.7|28.1|11.5
                96|61.6|65.0|50.9|29.8
                128|54.2|70.8|63.5|46.0
                160|42.4|72.4|69.7|57.0
                224|21.7|69.8|74.6|68.8
                256|15.3|66.4|75.2|72.1
                384|4.3|44.8|71.7|76.7
                440|2.3|33.6|67.1|77.0
                """).markBestPerColumn();
    }

    /**
     * Pipe-separated rows; the first is the header. The first {@code labelColumns} columns are
     * labels (settings, resolutions); the rest become numeric cells when they are numbers.
     */
    static Table parse(int labelColumns, String title, String text) {
        String[] lines = text.strip().split("\n");
        Table table = new Table(title, List.of(lines[0].strip().split("\\|")));
        for (int i = 1; i < lines.length; i++) {
            List<Object> cells = new ArrayList<>();
            String[] parts = lines[i].strip().split("\\|");
            for (int c = 0; c < parts.length; c++) {
                cells.add(c >= labelColumns && parts[c].matches("-?\\d+(\\.\\d+)?") ? (Object) Double.parseDouble(parts[c]) : parts[c]);
            }
            table.row(cells);
        }
        return table;
    }
}
