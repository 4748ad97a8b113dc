/*
 * Package overview for Javadoc; see each file's header for the reference it follows and its tests.
 */

/**
 * OpenAI's harmony chat format, which gpt-oss is trained on (model-spec.md §4).
 *
 * <p>A {@link dev.vireo.chat.harmony.HarmonyConversation} (system options, developer instructions,
 * function tools, messages) is rendered by {@link dev.vireo.chat.harmony.HarmonyRenderer} into prompt
 * text or ids; generated ids are read back by the streaming {@link dev.vireo.chat.harmony.HarmonyParser}
 * into {@link dev.vireo.chat.harmony.HarmonyEvent}s. {@link dev.vireo.chat.harmony.HarmonyChat} joins
 * the two for a generation loop: prompt ids, the stop tokens ({@code <|return|>}, {@code <|call|>}),
 * reasoning, answer and tool calls as callbacks, and the messages to keep for the next turn.
 */
package dev.vireo.chat.harmony;
