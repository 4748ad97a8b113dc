/*
 * The table from a loaded model to its chat format: gpt-oss speaks harmony (HarmonyChatFormat), the
 * template-based families go through their Jinja template (TemplateChatFormat). Tested through the
 * server tests (OpenAiSdkTest for a template model, GptOssServerTest for gpt-oss).
 */
package dev.vireo.serve;

import dev.vireo.LanguageModel;
import dev.vireo.model.arch.GptOss;

/** Chooses a model's chat format. */
public final class ChatFormats {
    private ChatFormats() {}

    /** The chat format for {@code model}. */
    public static ChatFormat forModel(LanguageModel model) {
        return switch (model.shape().architecture()) {
            case GptOss.ARCHITECTURE -> new HarmonyChatFormat(model.tokenizer());
            default -> new TemplateChatFormat(model);
        };
    }
}
