package io.fixres.reproduce;

import io.fixres.study.StudyProgress;

/** Progress of a reproduction: a stage starts (or is answered from the cache), then its steps. */
public interface StageProgress extends StudyProgress {
    StageProgress NONE = (name, cached) -> { };

    void stage(String name, boolean cached);
}
