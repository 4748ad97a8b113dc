/*
 * HarmonyConversation.fromChat: how OpenAI-style messages become harmony messages (instructions from
 * the first system/developer message, reasoning as analysis, tool calls and results matched by id or
 * name), the errors for what harmony cannot express, and the tool-definition readers. The template
 * equivalence of the common cases is HarmonyTemplateAgreementTest's.
 */
package dev.vireo.chat.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vireo.chat.ChatMessage;
import dev.vireo.chat.ToolCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarmonyConversationTest {

    @Test
    void instructionsReasoningAndAnswers() {
        HarmonyConversation c = HarmonyConversation.fromChat(List.of(
                new ChatMessage("developer", "Be terse."), ChatMessage.user("2+2?"),
                ChatMessage.assistant("4").withReasoningContent("Easy."), ChatMessage.user("Sure?"),
                ChatMessage.assistant("Yes.").with("thinking", "Still easy.")), null, SystemOptions.defaults());
        assertEquals("Be terse.", c.instructions());
        assertEquals(List.of(HarmonyMessage.user("2+2?"), HarmonyMessage.analysis("Easy."), HarmonyMessage.finalAnswer("4"),
                HarmonyMessage.user("Sure?"), HarmonyMessage.analysis("Still easy."), HarmonyMessage.finalAnswer("Yes.")),
                c.messages());
        assertNull(HarmonyConversation.fromChat(List.of(ChatMessage.system(""), ChatMessage.user("x")), null, null).instructions());
    }

    @Test
    void toolCallsAndResultsAreMatchedByIdThenNameThenOrder() {
        ChatMessage calls = ChatMessage.assistantToolCalls("I will look both up.", List.of(
                new ToolCall("a", "weather", Map.of("city", "Oslo")), new ToolCall("b", "time", "{\"tz\":\"CET\"}")))
                .withReasoningContent("Two tools.");
        HarmonyConversation c = HarmonyConversation.fromChat(List.of(ChatMessage.user("q"), calls,
                ChatMessage.tool("b", "12:00"), ChatMessage.tool("a", "-3"),
                ChatMessage.tool(null, "again").withName("weather"), ChatMessage.tool(null, "last")), null, null);
        assertEquals(List.of(HarmonyMessage.user("q"), HarmonyMessage.analysis("Two tools."),
                HarmonyMessage.commentary("I will look both up."),
                HarmonyMessage.toolCall("weather", "{\"city\": \"Oslo\"}"), HarmonyMessage.toolCall("time", "{\"tz\":\"CET\"}"),
                HarmonyMessage.toolResult("time", "12:00"), HarmonyMessage.toolResult("weather", "-3"),
                HarmonyMessage.toolResult("weather", "again"), HarmonyMessage.toolResult("time", "last")), c.messages());
        // Content beside calls without separate reasoning is the call's analysis, as the template reads it.
        HarmonyConversation t = HarmonyConversation.fromChat(List.of(ChatMessage.assistantToolCalls("Thinking aloud.",
                List.of(new ToolCall(null, "f", null)))), null, null);
        assertEquals(List.of(HarmonyMessage.analysis("Thinking aloud."), HarmonyMessage.toolCall("f", "{}")), t.messages());
    }

    @Test
    void whatHarmonyCannotExpress() {
        assertThrows(IllegalArgumentException.class, () -> HarmonyConversation.fromChat(
                List.of(ChatMessage.user("x"), ChatMessage.system("late")), null, null));
        assertThrows(IllegalArgumentException.class, () -> HarmonyConversation.fromChat(
                List.of(ChatMessage.tool(null, "orphan")), null, null));
        assertThrows(IllegalArgumentException.class, () -> HarmonyConversation.fromChat(
                List.of(new ChatMessage("ipython", "x")), null, null));
        assertThrows(IllegalArgumentException.class, () -> HarmonyConversation.fromChat(
                List.of(ChatMessage.user(null).with("content", List.of(Map.of("type", "text", "text", "hi")))), null, null));
    }

    @Test
    void toolDefinitions() {
        ToolDefinition inner = ToolDefinition.fromJson("{\"name\": \"f\", \"parameters\": {\"type\": \"object\"}}");
        assertEquals("", inner.description());
        assertEquals(Map.of("type", "object"), inner.parameters());
        ToolDefinition wrapped = ToolDefinition.fromMap(Map.of("type", "function", "function", Map.of("name", "g", "description", "G")));
        assertEquals(new ToolDefinition("g", "G", null), wrapped);
        HarmonyConversation c = HarmonyConversation.fromChat(List.of(), List.of(inner, Map.of("name", "h"),
                "{\"type\": \"function\", \"function\": {\"name\": \"i\"}}"), null);
        assertEquals(List.of("f", "h", "i"), c.functions().stream().map(ToolDefinition::name).toList());
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.fromJson("[]"));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.fromJson("{\"description\": \"no name\"}"));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.fromJson("{\"name\": \"two words\"}"));
        assertThrows(IllegalArgumentException.class, () -> ToolDefinition.fromJson("{\"name\": \"f\", \"parameters\": 3}"));
        assertThrows(IllegalArgumentException.class, () -> new ToolNamespace(" ", null, null));
    }

    @Test
    void reasoningEffortNames() {
        assertEquals(ReasoningEffort.HIGH, ReasoningEffort.parse(" High "));
        assertEquals("low", ReasoningEffort.LOW.text());
        assertThrows(IllegalArgumentException.class, () -> ReasoningEffort.parse("max"));
    }
}
