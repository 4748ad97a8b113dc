/*
 * Chat with gpt-oss in OpenAI's harmony format (model-spec.md §4): the conversation becomes a
 * HarmonyConversation the way gpt-oss's own template reads OpenAI-style messages (HarmonyConversation.
 * fromChat), with the reasoning effort and date in the system message and the tools in the developer
 * message; HarmonyChat renders it and reads the generated ids into channels: analysis is reasoning,
 * final (and commentary preambles) content, a commentary message to functions.NAME a tool call.
 * Sampling stops on <|return|> and <|call|>. Earlier analysis disappears from later prompts because
 * the reply's message carries it as reasoning_content, which the renderer drops once a final answer
 * follows (and keeps while a tool call waits for its result). Tested in LanguageModelChatTest with a
 * scripted decoder, byte for byte.
 */
package dev.vireo;

import dev.vireo.chat.ChatListener;
import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ChatOptions;
import dev.vireo.chat.ChatReply;
import dev.vireo.chat.ToolCall;
import dev.vireo.chat.harmony.HarmonyChat;
import dev.vireo.chat.harmony.HarmonyConversation;
import dev.vireo.chat.harmony.HarmonyMessage;
import dev.vireo.chat.harmony.ReasoningEffort;
import dev.vireo.chat.harmony.Role;
import dev.vireo.chat.harmony.SystemOptions;
import dev.vireo.generate.GenerationResult;
import dev.vireo.generate.StopStringFilter;
import dev.vireo.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** The harmony chat format of gpt-oss. */
final class HarmonyProtocol implements ChatProtocol {
    private final HarmonyChat chat;

    /** @throws dev.vireo.io.ModelFormatException if the tokenizer is not o200k_harmony */
    HarmonyProtocol(Tokenizer tokenizer) {
        this.chat = new HarmonyChat(tokenizer);
    }

    @Override
    public Turn start(List<ChatMessage> messages, ChatOptions options, ChatListener listener) {
        return new HarmonyTurn(chat.promptIds(conversation(messages, options)), options, listener);
    }

    /** The harmony conversation of an OpenAI-style message list under {@code options}. */
    static HarmonyConversation conversation(List<ChatMessage> messages, ChatOptions options) {
        ReasoningEffort effort = options.reasoningEffort();
        if (effort == null && options.templateVariables().get("reasoning_effort") instanceof String s) {
            effort = ReasoningEffort.parse(s);
        }
        SystemOptions system = SystemOptions.defaults()
                .withReasoningEffort(effort != null ? effort : ReasoningEffort.MEDIUM);
        if (options.currentDate() != null) {
            system = system.withCurrentDate(options.currentDate());
        }
        List<?> tools = !options.tools().isEmpty() ? options.tools()
                : options.templateVariables().get("tools") instanceof List<?> l ? l : List.of();
        return HarmonyConversation.fromChat(messages, tools, system);
    }

    /** Routes HarmonyChat's callbacks to the ChatListener and collects the reply. */
    private final class HarmonyTurn implements Turn, HarmonyChat.Listener {
        private final int[] prompt;
        private final ChatListener listener;
        private final HarmonyChat.Turn turn;
        private final StopStringFilter answer;
        private final StringBuilder reasoning = new StringBuilder();
        private final StringBuilder content = new StringBuilder();
        private final List<ToolCall> calls = new ArrayList<>();
        private boolean newMessage;   // a message began and none of its text has arrived yet
        private boolean anyContent;

        HarmonyTurn(int[] prompt, ChatOptions options, ChatListener listener) {
            this.prompt = prompt;
            this.listener = listener;
            this.turn = chat.newTurn(this);
            this.answer = new StopStringFilter(options.generation().stop(), text -> {
                content.append(text);
                listener.content(text);
            });
        }

        @Override
        public int[] prompt() {
            return prompt;
        }

        @Override
        public boolean endsTurn(int id) {
            return turn.acceptIfStop(id);   // the stop token still reaches the parser: it completes a tool call
        }

        @Override
        public boolean accept(int id) {
            turn.accept(id);
            return !answer.stopped();
        }

        @Override
        public ChatReply finish(GenerationResult result) {
            turn.finish();
            answer.flush();
            return new ChatReply(content.toString(), reasoning.toString(), calls, result.tokens(), result.stopReason(),
                    result.timings());
        }

        @Override
        public void onMessageStart(HarmonyMessage header) {
            newMessage = header.role() == Role.ASSISTANT;
        }

        @Override
        public void onReasoning(String text) {
            // Two analysis messages in one turn read as two paragraphs, as TurnResult joins them.
            if (newMessage && !reasoning.isEmpty()) {
                reasoning.append('\n');
                listener.reasoning("\n");
            }
            newMessage = false;
            reasoning.append(text);
            listener.reasoning(text);
        }

        @Override
        public void onAnswer(String text) {
            toContent(text);
        }

        @Override
        public void onPreamble(String text) {
            toContent(text);
        }

        /** Output that breaks the format is shown as it is rather than lost. */
        @Override
        public void onUnparsed(String text) {
            toContent(text);
        }

        @Override
        public void onToolCall(String name, String arguments) {
            ToolCall call = new ToolCall("call_" + calls.size(), name, arguments);
            calls.add(call);
            listener.toolCall(call);
        }

        private void toContent(String text) {
            if (newMessage && anyContent) {
                answer.push("\n");
            }
            newMessage = false;
            anyContent = true;
            answer.push(text);
        }
    }
}
