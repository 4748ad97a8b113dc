/*
 * Package overview for Javadoc; see each file's header for the reference it follows and its tests.
 */

/**
 * Tokenizers that give the same ids as llama.cpp (and, for o200k, as tiktoken).
 *
 * <p>A {@link dev.vireo.tokenizer.Vocabulary} is filled from GGUF metadata
 * ({@link dev.vireo.tokenizer.GgufVocabulary}) or a Hugging Face tokenizer.json
 * ({@link dev.vireo.tokenizer.HfTokenizerJson}); {@link dev.vireo.tokenizer.Tokenizer#of} picks the
 * algorithm: {@link dev.vireo.tokenizer.ByteLevelBpe} (GPT-2, Llama 3, Qwen, o200k) or
 * {@link dev.vireo.tokenizer.SentencePieceBpe} (Llama 2, Mistral). Generated ids become text through
 * a streaming {@link dev.vireo.tokenizer.Decoder}.
 *
 * <pre>{@code
 * Tokenizer tok = Tokenizer.of(GgufVocabulary.load(Path.of("model.gguf")));
 * int[] ids = tok.encode(prompt, true, true);   // BOS as the model wants, chat markers as tokens
 * Decoder out = tok.newDecoder(false);
 * for (int id : generated) System.out.print(out.push(id));
 * }</pre>
 */
package dev.vireo.tokenizer;
