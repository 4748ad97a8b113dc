/*
 * What an engine needs to know about any decoder-only model to size its KV cache and buffers,
 * independent of the family.
 */
package dev.vireo.model;

/**
 * @param architecture the family name as in GGUF's general.architecture ("llama", "qwen3", "gpt-oss")
 * @param hiddenSize width of the residual stream
 * @param kvDim K/V row width per layer
 * @param window sliding window per layer (0: full attention)
 * @param vocabSize rows of the output projection (logits per position)
 * @param contextLength the longest sequence the model was trained for
 */
public record DecoderShape(String architecture, int hiddenSize, int[] kvDim, int[] window, int vocabSize,
        int contextLength) {

    public DecoderShape {
        kvDim = kvDim.clone();
        window = window.clone();
        if (kvDim.length != window.length || kvDim.length == 0) {
            throw new IllegalArgumentException("per-layer arrays disagree: " + kvDim.length + " vs " + window.length);
        }
    }

    public int layers() {
        return kvDim.length;
    }

    @Override
    public int[] kvDim() {
        return kvDim.clone();
    }

    @Override
    public int[] window() {
        return window.clone();
    }
}
