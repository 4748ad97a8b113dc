/*
 * Numerical choices a model family offers at load time, for the few places where the reference
 * implementation and llama.cpp disagree and a user may want either. Families ignore what does not
 * apply to them.
 */
package dev.vireo.model;

/**
 * @param roundYarnRange round YaRN's correction range to whole dimensions (floor the low end, ceil the
 *     high end) as llama.cpp's ggml_rope_yarn_corr_dims does, to reproduce llama.cpp's logits exactly.
 *     Off by default: the gpt-oss reference and Hugging Face ({@code truncate: false}) keep the range
 *     unrounded, 8.09..17.40 for gpt-oss instead of 8..18 (model-spec.md §1.4), which changes the
 *     frequencies of dimension pairs 9 to 17.
 */
public record ModelOptions(boolean roundYarnRange) {

    /** The reference behaviour everywhere. */
    public static ModelOptions defaults() {
        return new ModelOptions(false);
    }

    public ModelOptions withRoundYarnRange(boolean round) {
        return new ModelOptions(round);
    }
}
