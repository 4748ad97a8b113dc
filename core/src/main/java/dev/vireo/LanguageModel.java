/*
 * A loaded model with everything a user needs to talk to it: the decoder on its backend, the
 * tokenizer and the chat template from the same files. Text generation streams valid UTF-8 pieces and
 * honours stop strings; sessions keep the KV cache between calls so a conversation's earlier turns are
 * not recomputed. Chat goes through the model's format: harmony for gpt-oss (HarmonyProtocol), the
 * Jinja template otherwise (TemplateProtocol); either streams reasoning and answer apart. Obtain one
 * with Vireo.load. Tested by LanguageModelChatTest (chat, with a scripted decoder and the tiny gpt-oss)
 * and the model golden tests.
 */
package dev.vireo;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.chat.ChatTemplate;
import dev.vireo.chat.harmony.HarmonyTokens;
import dev.vireo.generate.GenerationOptions;
import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.Session;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.model.Decoder;
import dev.vireo.model.DecoderShape;
import dev.vireo.model.arch.GptOss;
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
    private final boolean harmony;
    private volatile ChatProtocol protocol;   // made on first use: harmony's checks the vocabulary

    LanguageModel(Path source, Decoder decoder, Tokenizer tokenizer, ChatTemplate template, Ops ops) {
        this.source = source;
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.template = template;
        this.ops = ops;
        this.harmony = GptOss.ARCHITECTURE.equals(decoder.shape().architecture()) || HarmonyTokens.isHarmony(tokenizer);
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
     * Whether chat speaks OpenAI's harmony format (gpt-oss, or any model with the o200k_harmony
     * vocabulary) rather than the model's Jinja template.
     */
    public boolean usesHarmony() {
        return harmony;
    }

    /**
     * Answers the conversation {@code messages}, streaming reasoning, answer and tool calls to
     * {@code listener} as they are generated. The session reuses the part of the conversation it already
     * holds, so a multi-turn chat evaluates only what is new.
     *
     * <p>For gpt-oss the conversation is rendered in harmony: a leading system or developer message is
     * the developer's instructions, the reasoning effort and date go into the system message, the tools
     * into the developer message; reasoning is the analysis channel, the answer the final channel, tool
     * calls the commentary messages to {@code functions.NAME}; generation stops on {@code <|return|>} or
     * {@code <|call|>}. Other models use their chat template; reasoning is a leading
     * {@code <think>...</think>} block where the model writes one, and empty otherwise.
     *
     * <pre>{@code
     * List<ChatMessage> conversation = new ArrayList<>(List.of(ChatMessage.user("Why is the sky blue?")));
     * ChatReply reply = model.chat(session, conversation,
     *         ChatOptions.of(GenerationOptions.of(1024, 42)).withReasoningEffort(ReasoningEffort.LOW),
     *         new ChatListener() {
     *             public void reasoning(String text) { log.debug(text); }
     *             public void content(String text) { System.out.print(text); }
     *         });
     * conversation.add(reply.message());   // the next prompt drops its reasoning, as harmony prescribes
     * }</pre>
     *
     * <p>Cancel from another thread (or from a callback) with {@link Session#cancel()}: the reply then
     * holds what was generated, with {@link dev.vireo.generate.StopReason#CANCELLED}.
     *
     * @throws IllegalArgumentException when the conversation cannot be expressed in the model's format,
     *     or does not fit the session's context ({@link dev.vireo.generate.ContextLengthException})
     * @throws dev.vireo.chat.ChatTemplateException when the model's template fails on it
     */
    public ChatReply chat(Session session, List<ChatMessage> messages, ChatOptions options, ChatListener listener) {
        ChatProtocol.Turn turn = protocol().start(messages, options, listener);
        GenerationOptions g = options.generation();
        GenerationResult r = session.generate(turn.prompt(), g.maxTokens(), g.sampling(),
                id -> !g.ignoreEndOfGeneration() && turn.endsTurn(id), turn::accept);
        return turn.finish(r);
    }

    /** The prompt ids {@link #chat(Session, List, ChatOptions, ChatListener)} would evaluate for {@code messages}. */
    public int[] chatPrompt(List<ChatMessage> messages, ChatOptions options) {
        return protocol().start(messages, options, ChatListener.NONE).prompt();
    }

    /**
     * Answers the conversation {@code messages}, streaming the answer. For a model with a chat template
     * the text is the raw continuation of the rendered template (a {@code <think>} block included); for
     * gpt-oss it is the final channel only (see {@link #chat(Session, List, ChatOptions, ChatListener)},
     * which also gives the reasoning). The session reuses the part of the conversation it already holds.
     *
     * @param extra template variables such as {@code tools} or {@code enable_thinking}; gpt-oss reads
     *     {@code tools} and {@code reasoning_effort} from them, as its own template does
     */
    public Completion chat(Session session, List<ChatMessage> messages, Map<String, ?> extra,
            GenerationOptions options, Consumer<String> onText) {
        if (harmony) {
            ChatReply r = chat(session, messages, ChatOptions.of(options).withTemplateVariables(extra),
                    ChatListener.ofContent(onText));
            return new Completion(r.content(), r.tokens(), r.stopReason(), r.timings());
        }
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

    private ChatProtocol protocol() {
        ChatProtocol p = protocol;
        if (p == null) {
            p = harmony ? new HarmonyProtocol(tokenizer)
                    : new TemplateProtocol(template != null ? template : ChatTemplate.chatMlFallback(), tokenizer,
                            this::tokenizeRendered);
            protocol = p;   // immutable: a second one made by a racing thread is as good
        }
        return p;
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
