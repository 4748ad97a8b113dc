/*
 * A loaded model with everything a user needs to talk to it: the decoder on its backend, the
 * tokenizer and the chat template from the same files. Text generation streams valid UTF-8 pieces and
 * honours stop strings; sessions keep the KV cache between calls so a conversation's earlier turns are
 * not recomputed. Obtain one with Vireo.load.
 */
package dev.vireo;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatTemplate;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.Session;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.model.Decoder;
import dev.vireo.model.DecoderShape;
import dev.vireo.ops.Ops;
import dev.vireo.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A model ready to generate text. Close it to release the mapped file and the backend. */
public final class LanguageModel implements AutoCloseable {
    private final Path source;
    private final Decoder decoder;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final Ops ops;

    LanguageModel(Path source, Decoder decoder, Tokenizer tokenizer, ChatTemplate template, Ops ops) {
        this.source = source;
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.template = template;
        this.ops = ops;
    }

    /** The file or directory the model was loaded from. */
    public Path source() {
        return source;
    }

    /** Architecture, sizes and context length. */
    public DecoderShape shape() {
        return decoder.shape();
    }

    public Decoder decoder() {
        return decoder;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The model's own chat template, if its files carry one. */
    public Optional<ChatTemplate> chatTemplate() {
        return Optional.ofNullable(template);
    }

    /** The backend the model runs on. */
    public Ops ops() {
        return ops;
    }

    /** A session over the model's whole trained context. */
    public Session newSession() {
        return new Session(decoder, Session.Options.defaults(decoder));
    }

    /** A session holding at most {@code contextLength} positions (less memory for the KV cache). */
    public Session newSession(int contextLength) {
        return new Session(decoder, Session.Options.defaults(decoder).withContextLength(
                Math.min(contextLength, decoder.shape().contextLength())));
    }

    /**
     * The ids of {@code text}. Special tokens written in the text (like {@code <|eot_id|>}) become
     * their ids; {@code addSpecial} adds the BOS/EOS the model's tokenizer asks for.
     */
    public int[] tokenize(String text, boolean addSpecial) {
        return tokenizer.encode(text, addSpecial, true);
    }

    /**
     * Continues {@code prompt} as raw text (no chat template), streaming the continuation.
     *
     * @param onText receives pieces of the continuation as they are decoded (complete characters only)
     */
    public Completion complete(Session session, String prompt, GenerationOptions options, Consumer<String> onText) {
        return generate(session, tokenize(prompt, true), options, onText);
    }

    /**
     * Answers the conversation {@code messages} through the model's chat template (with the generation
     * prompt), streaming the answer. The session reuses the part of the conversation it already holds.
     *
     * @param extra template variables such as {@code tools} or {@code enable_thinking}
     */
    public Completion chat(Session session, List<ChatMessage> messages, Map<String, ?> extra,
            GenerationOptions options, Consumer<String> onText) {
        ChatTemplate t = template != null ? template : ChatTemplate.chatMlFallback();
        String prompt = t.render(messages, true, extra);
        return generate(session, tokenizeRendered(prompt), options, onText);
    }

    /**
     * Tokenizes a rendered chat prompt. Templates usually write the BOS token themselves; adding it
     * again would give the model a doubled BOS it never saw in training, so it is added only when the
     * text does not already start with it.
     */
    public int[] tokenizeRendered(String prompt) {
        int[] withSpecial = tokenizer.encode(prompt, true, true);
        int[] plain = tokenizer.encode(prompt, false, true);
        int bos = tokenizer.vocabulary().bos();
        boolean templateWroteBos = plain.length > 0 && plain[0] == bos;
        return templateWroteBos ? plain : withSpecial;
    }

    /** Generates from prompt ids, decoding and filtering the text. */
    public Completion generate(Session session, int[] prompt, GenerationOptions options, Consumer<String> onText) {
        var decoder = tokenizer.newDecoder(false);
        StopStringFilter filter = new StopStringFilter(options.stop(), onText);
        GenerationResult r = session.generate(prompt, options.maxTokens(), options.sampling(),
                id -> !options.ignoreEndOfGeneration() && tokenizer.isEndOfGeneration(id),
                id -> filter.push(decoder.push(id)));
        if (!filter.stopped()) {
            filter.push(decoder.flush());
            filter.flush();
        }
        return new Completion(filter.text(), r.tokens(), r.stopReason(), r.timings());
    }

    @Override
    public void close() {
        try {
            decoder.close();
        } finally {
            ops.close();
        }
    }
}
