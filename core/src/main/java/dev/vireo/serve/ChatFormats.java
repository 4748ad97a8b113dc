/*
 * The table from a loaded model to its chat format. Template-based families get TemplateChatFormat;
 * gpt-oss's harmony format is added here (by architecture) when it lands.
 */
package dev.vireo.serve;

import dev.vireo.LanguageModel;

/** Chooses a model's chat format. */
public final class ChatFormats {
    private ChatFormats() {}

    /** The chat format for {@code model}. */
    public static ChatFormat forModel(LanguageModel model) {
        return switch (model.shape().architecture()) {
            // "gpt-oss" -> harmony, once dev.vireo.chat's harmony renderer and parser are merged.
            default -> new TemplateChatFormat(model);
        };
    }
}
