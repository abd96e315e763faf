package io.fixres.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fixres.testing.CliRun;
import io.fixres.testing.TinyDatasets;
import io.fixres.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fixres-spark's command line, in-process, against fixres's. */
class SparkCliTest {
    @TempDir Path tmp;

    private static CliRun sparkRun(String... args) {
        return CliRun.capture(SparkMain::run, args);
    }

    @Test
    void sparkSweepWritesTheSingleMachineSweepPlusWhereItRan() throws Exception {
        Path data = TinyDatasets.idxDirectory(tmp.resolve("idx"), 20, 50, 10, 5);
        Path model = TinyModels.checkpoint(tmp.resolve("model"), 16);
        String[] common = {"--model", model.toString(), "--data", data.toString(), "--from", "16", "--to", "24",
            "--step", "4", "--batch-size", "16", "--threads", "1"};
        CliRun single = CliRun.of(concat(new String[] {"sweep"}, common, "--out", tmp.resolve("single").toString()));
        assertThat(single.exitCode()).as(single.err()).isZero();
        CliRun spark = sparkRun(concat(new String[] {"sweep", "--master", "local[2]", "--partitions", "3"}, common,
                "--out", tmp.resolve("spark").toString()));
        assertThat(spark.exitCode()).as(spark.err()).isZero();
        assertThat(spark.out()).contains("spark: local[2], 3 partitions of whole 16-image batches, 1 libtorch thread per task");

        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(tmp.resolve("single/result.json").toFile());
        JsonNode b = json.readTree(tmp.resolve("spark/result.json").toFile());
        // the Spark jobs reduce hit counts, not per-image outcomes (docs/spark.md): compare all else exactly
        a.findParents("top1_outcomes").forEach(n -> ((com.fasterxml.jackson.databind.node.ObjectNode) n).remove("top1_outcomes"));
        assertThat(b.findParents("top1_outcomes")).isEmpty();
        assertThat(b.get("sweeps")).isEqualTo(a.get("sweeps"));
        assertThat(b.get("test_images").asInt()).isEqualTo(50);
        assertThat(b.get("spark").get("partitions").asInt()).isEqualTo(3);
        assertThat(Files.readString(tmp.resolve("spark/sweep.csv"))).isEqualTo(Files.readString(tmp.resolve("single/sweep.csv")));
        assertThat(tmp.resolve("spark/sweep.png")).isNotEmptyFile();
    }

    @Test
    void theSgdMethodIsRefusedNamingTheFlagBeforeAnythingRuns() throws Exception {
        CliRun run = sparkRun("finetune", "--model", tmp.resolve("m").toString(), "--test-res", "20", "--method", "sgd",
                "--out", tmp.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fixres finetune: error: --method must be cached on Spark (got sgd)");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aJobIsRequired() {
        CliRun run = sparkRun();
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("a job is required (see fixres-spark --help)");
    }

    private static String[] concat(String[] head, String[] middle, String... tail) {
        String[] out = new String[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(middle, 0, out, head.length, middle.length);
        System.arraycopy(tail, 0, out, head.length + middle.length, tail.length);
        return out;
    }
}
