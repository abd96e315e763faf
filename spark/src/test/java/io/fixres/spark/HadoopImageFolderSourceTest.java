package io.fixres.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.data.DataException;
import io.fixres.data.ImageDataset;
import io.fixres.data.ImageFolderDataset;
import io.fixres.data.Subsets;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ImageFolder read through Hadoop's file system API (file:// here) is the single-machine ImageFolder. */
class HadoopImageFolderSourceTest {
    @TempDir Path tmp;

    private Path folder() throws Exception {
        Path train = tmp.resolve("train");
        int n = 0;
        for (String cls : List.of("zebra", "ant", "moth")) {
            Files.createDirectories(train.resolve(cls));
            for (int i = 0; i < 3; i++, n++) {
                BufferedImage image = new BufferedImage(6 + i, 5, BufferedImage.TYPE_INT_RGB);
                image.setRGB(1, 1, 0x102030 * (n + 1));
                ImageIO.write(image, "png", train.resolve(cls).resolve("img" + (2 - i) + ".png").toFile());
            }
        }
        Files.writeString(train.resolve("ant/notes.txt"), "not an image");
        Files.writeString(train.resolve("ant/.hidden.png"), "hidden");
        return train;
    }

    @Test
    void listsDecodesAndSubsetsInTheSingleMachineOrder() throws Exception {
        Path train = folder();
        ImageFolderDataset local = ImageFolderDataset.open(train);
        HadoopImageFolderSource hadoop = HadoopImageFolderSource.list(train.toUri().toString(), true, null, 0);

        assertThat(hadoop.classNames()).containsExactly("ant", "moth", "zebra");
        assertThat(hadoop.refs()).hasSize(9);
        ImageDataset opened = hadoop.open(hadoop.refs().subList(2, 7));
        for (int i = 0; i < opened.size(); i++) {
            assertThat(opened.get(i).label()).isEqualTo(local.get(i + 2).label());
            assertThat(opened.get(i).image().data()).isEqualTo(local.get(i + 2).image().data());
        }

        HadoopImageFolderSource subset = hadoop.limit(4, 11);
        ImageDataset expected = Subsets.limit(local, 4, 11);
        ImageDataset actual = subset.open(subset.refs());
        assertThat(subset.refs()).extracting(ImageRef::position).containsExactly(0, 1, 2, 3);
        for (int i = 0; i < 4; i++) {
            assertThat(actual.get(i).image().data()).isEqualTo(expected.get(i).image().data());
        }
    }

    @Test
    void aClassFolderWithoutImagesIsNamed() throws Exception {
        Path train = folder();
        Files.createDirectories(train.resolve("empty"));
        assertThatThrownBy(() -> HadoopImageFolderSource.list(train.toUri().toString(), true, null, 0))
                .isInstanceOf(DataException.class).hasMessageContaining("empty holds no images");
    }
}
